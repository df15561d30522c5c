import { pageStyles } from '../../web/assets/catalogue.ts';

/**
 * Security headers for every HTML page, including the ones oidc-provider
 * renders (OWASP Secure Headers). No script runs on our pages; form-action is
 * left open because a form post ends in a redirect to the service's
 * redirect_uri, which browsers check against form-action too.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "font-src 'self'",
    // The page styles inlined in every <head> (web/assets/catalogue.ts), allowed by their hash and nothing else inline.
    `style-src 'self' ${pageStyles().cspHash}`,
    "script-src 'self'",
  ].join('; ');
}

/** The policy is read when first sent: its style hash needs the page styles, built once per process. */
export const securityHeaders: Record<string, string> = {
  get 'content-security-policy'() {
    return contentSecurityPolicy();
  },
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export const hstsHeader = 'max-age=31536000; includeSubDomains';
