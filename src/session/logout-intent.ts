/**
 * The header's "Abmelden" is a form posted with a CSRF token: the citizen
 * already said they want to log out. When the provider's end-session
 * endpoint must run (so services hear of it by back-channel logout), this
 * short-lived cookie tells its confirmation page to go on by itself instead
 * of asking a second time (issue 15 point 10: one logout, the same way
 * every time). It only ever makes a logout happen sooner, which nobody can
 * abuse; a service's logout request (with its client_id) still asks.
 */
export const logoutIntentCookie = 'sk_logout_intent';

/** Scoped to the end-session endpoint only, so no other request carries it (no `__Host-`: that needs Path=/). */
export const logoutIntentPath = '/oidc/session/end';

/** Long enough for the redirect to arrive, short enough not to linger. */
export const logoutIntentSeconds = 60;
