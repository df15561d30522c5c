import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * Cookie attributes in one place: HttpOnly always; SameSite=Lax because the
 * OIDC flow arrives by top-level navigation from another site (RFC 6265bis
 * §5.4.7); Secure and the __Host- prefix in production.
 */
export interface CookieNames {
  session: string;
  csrf: string;
  lang: string;
  /** Binds a pending SAML login to the browser that brought its request. */
  saml: string;
  /** Names the account of this browser's last successful login: its own throttle budget (OWASP device cookies). */
  device: string;
  /**
   * The language a service asked for (OIDC `ui_locales`), set for the path of
   * one interaction only (oidc/ui-locales.ts). No `__Host-` prefix: that
   * needs Path=/; it holds only `de` or `en`.
   */
  interactionLang: string;
  /** The version of the page styles this browser has cached (web/page-styles.ts). */
  styles: string;
}

export function cookieNames(production: boolean): CookieNames {
  const prefix = production ? '__Host-' : '';
  return {
    session: `${prefix}sk_session`,
    csrf: `${prefix}sk_csrf`,
    lang: `${prefix}sk_lang`,
    saml: `${prefix}sk_saml`,
    device: `${prefix}sk_device`,
    interactionLang: 'sk_interaction_lang',
    styles: `${prefix}sk_styles`,
  };
}

export function cookieOptions(production: boolean, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: production,
    path: '/',
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}
