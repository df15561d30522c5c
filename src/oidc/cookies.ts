/**
 * Names of oidc-provider's own cookies (its `cookies.names`). In production
 * the session cookie gets the `__Host-` prefix like ours
 * (platform/http/cookies.ts): Secure, Path=/, no Domain, so no other host
 * under the same domain can set it (RFC 6265bis §4.1.3.2). The interaction
 * and resume cookies cannot: oidc-provider scopes them to the path of their
 * interaction (/interaction/<uid>, /oidc/auth/<uid>; the resume path cannot
 * be changed, node-oidc-provider issue #574), which lets two logins run in
 * two tabs, and `__Host-` demands Path=/. They get `__Secure-` (§4.1.3.1);
 * a tossed one is refused anyway, since the provider binds an interaction
 * to the session whose `__Host-` cookie started it.
 */
export function providerCookieNames(production: boolean): { session: string; interaction: string; resume: string } {
  return production
    ? {
        session: '__Host-sk_oidc_session',
        interaction: '__Secure-sk_oidc_interaction',
        resume: '__Secure-sk_oidc_resume',
      }
    : { session: 'sk_oidc_session', interaction: 'sk_oidc_interaction', resume: 'sk_oidc_resume' };
}
