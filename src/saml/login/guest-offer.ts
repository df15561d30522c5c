import type { AppContext } from '../../context.ts';
import type { Service } from '../../services/service-repository.ts';
import { scopeOfAttribute, urn } from '../profile/attributes.ts';
import { readableFromCard } from './guest-read.ts';
import type { PendingSamlLogin } from './pending-login-repository.ts';

const needsAccount: ReadonlySet<string> = new Set([urn.bpk2, urn.postboxHandle]);

/**
 * Whether a SAML login offers the guest login (design notes §6): where the
 * service allows it (`sp add --guest`), the eID is there and no citizen is
 * logged in in this browser; the request must allow the eID (AKDB
 * AuthnMethods) and must not ask for what needs an account: the bPK2
 * pseudonym, the postbox handle (PROFILES.md §1, "asking for either hides
 * the guest option"), a persistent NameID, or a required attribute the card
 * does not have (e-mail, telephone, gender).
 */
export function guestOfferedSaml(
  app: AppContext,
  pending: PendingSamlLogin,
  service: Service,
  loggedIn: boolean,
): boolean {
  const r = pending.request;
  if (app.eid === undefined || service.protocol !== 'saml' || !service.guestLogin || loggedIn) return false;
  if (r.allowedMethods && !r.allowedMethods.includes('eid')) return false;
  if (r.nameIdFormat === 'persistent') return false;
  // Login facts (level, means) are answered without the card; everything else required must be on it.
  // The bPK2 every login releases unasked (saml/profile/release.ts) is no request for it: a guest login leaves it out.
  return r.requestedAttributes.every(
    (a) =>
      (a.byDefault === true || !needsAccount.has(a.name)) &&
      (!a.required || readableFromCard(a.name) || scopeOfAttribute(a.name) === 'openid'),
  );
}
