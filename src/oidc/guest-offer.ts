import type { AppContext } from '../context.ts';
import type { Service } from '../services/service-repository.ts';

/**
 * Whether an OIDC login offers "Ohne Konto mit Online-Ausweis fortfahren",
 * and whether its guest routes answer at all: only where the service allows
 * it (`client add --guest`) and the eID is there (design notes §6 Guest
 * login). `loggedIn`: a citizen is logged in in this browser; the login then
 * goes on with that account, and a guest login is not offered.
 */
export function guestOfferedOidc(app: AppContext, service: Service | undefined, loggedIn: boolean): boolean {
  return app.eid !== undefined && service?.protocol === 'oidc' && service.guestLogin && !loggedIn;
}
