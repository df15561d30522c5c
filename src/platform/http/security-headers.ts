/**
 * Security headers for every HTML page, including the ones oidc-provider
 * renders (OWASP Secure Headers). No script runs on our pages; form-action is
 * left open because a form post ends in a redirect to the service's
 * redirect_uri, which browsers check against form-action too.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "font-src 'self'",
  "style-src 'self'",
  "script-src 'self'",
].join('; ');

export const securityHeaders: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export const hstsHeader = 'max-age=31536000; includeSubDomains';
