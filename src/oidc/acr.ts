// The level names live with the levels (session/acr.ts); OIDC code keeps this path.
export { acrByLevel, acrValues, levelOfAcr } from '../session/acr.ts';
