// oidc-provider takes its signing keys once, from the `jwks` option; this
// internal step (lib/helpers/initialize_keystore.js, 9.x) is what builds its
// keystore and public JWKS from them, and what keys.ts calls again after a
// rotation. src/oidc/keys.test.ts fails if a new version moves it.
declare module 'oidc-provider/lib/helpers/initialize_keystore.js' {
  import type Provider from 'oidc-provider';

  export default function initializeKeystore(this: Provider, jwks: { keys: object[] }): void;
}
