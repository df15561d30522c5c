// The software token's enrolment lives in its folder (methods/totp/enrolment.ts), the rules with the
// login (login/enrolment-rules.ts); "Mein Konto"'s pages import them from here until they point there.
export { enrolmentRules } from '../../login/enrolment-rules.ts';
export { confirmTotpEnrolment, totpEnrolment } from '../../methods/totp/enrolment.ts';
