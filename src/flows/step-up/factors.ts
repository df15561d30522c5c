// The step-up's factor rules live with the login (login/factors.ts); pages that import them from here keep working.
export { askableFactors, factorPath, secondFactorConfirmed, usableFactors } from '../../login/factors.ts';
