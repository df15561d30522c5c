/**
 * Exports `guestOfferedOidc(app, service)` and `guestOfferedSaml(app,
 * pending, service)`: whether the login page offers "Ohne Konto mit
 * Online-Ausweis fortfahren", and whether the guest routes answer at all.
 *
 * Only where the service allows it (`client add --guest`, `sp add --guest`)
 * and the eID is there. A SAML request additionally must allow the eID
 * (AKDB AuthnMethods) and must not ask for what needs an account: the bPK2
 * pseudonym, the postbox handle (PROFILES.md §1, "asking for either hides
 * the guest option"), a persistent NameID, or a required attribute the card
 * does not have (e-mail, telephone, gender).
 */
import type { AppContext } from '../../context.ts';
import type { PendingSamlLogin } from '../../saml/login/pending.ts';
import { scopeOfAttribute, urn } from '../../saml/profile/attributes.ts';
import type { Service } from '../../services/services.ts';
import { readableFromCard } from './read-request.ts';

const needsAccount: ReadonlySet<string> = new Set([urn.bpk2, urn.postboxHandle]);

/**
 * `loggedIn`: a citizen is logged in in this browser. Then the login goes on
 * with that account (or another login): a guest login would have to end it
 * first, and is not offered.
 */
export function guestOfferedOidc(app: AppContext, service: Service | undefined, loggedIn: boolean): boolean {
  return app.eid !== undefined && service?.protocol === 'oidc' && service.guestLogin && !loggedIn;
}

export function guestOfferedSaml(app: AppContext, pending: PendingSamlLogin, service: Service, loggedIn: boolean): boolean {
  const r = pending.request;
  if (app.eid === undefined || service.protocol !== 'saml' || !service.guestLogin || loggedIn) return false;
  if (r.allowedMethods && !r.allowedMethods.includes('eid')) return false;
  if (r.nameIdFormat === 'persistent') return false;
  // Login facts (level, means) are answered without the card; everything else required must be on it.
  // The bPK2 every login releases unasked (saml/profile/release.ts) is no request for it: a guest login leaves it out.
  return r.requestedAttributes.every((a) => (a.byDefault === true || !needsAccount.has(a.name)) && (!a.required || readableFromCard(a.name) || scopeOfAttribute(a.name) === 'openid'));
}
