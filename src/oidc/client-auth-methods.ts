/**
 * The client authentication methods at the token, introspection and
 * revocation endpoints (OIDC Core §9) that `servicekonto client add` can
 * register, besides `none` for public clients. Discovery advertises exactly
 * these (OIDC Discovery §3 `token_endpoint_auth_methods_supported`).
 * `client_secret_post` is not among them: oidc-provider treats it as
 * interchangeable with `client_secret_basic`, so a secret in the body would
 * be taken from a client registered for the header (issue 13, point 11).
 */
export const registrableAuthMethods = ['client_secret_basic', 'client_secret_jwt', 'private_key_jwt'] as const;

export type RegistrableAuthMethod = (typeof registrableAuthMethods)[number];

export const clientAuthMethods = ['none', ...registrableAuthMethods] as const;
