/**
 * Exports what oidc-provider needs to know of guest logins (design notes §6
 * Guest login), used by provider.ts:
 *
 * - `allowGuestResume(policy)`: our check `sso_session_mismatch` asks for a
 *   login whenever the provider's session has no SSO session of ours behind
 *   it. A guest login has none by design, so the check lets it through only
 *   while the very interaction it answered resumes; any later request asks
 *   again (one-time login, no SSO).
 * - `guestGrant(ctx)`: `loadExistingGrant` for a guest: the grant made with
 *   the consent of this login, never one rebuilt from a stored consent
 *   (there is none: no `consents` row for a guest).
 * - `forgetEarlierGuest(provider, session)`: a guest login in a browser
 *   whose provider session still names an earlier login (an earlier guest,
 *   or an account whose SSO session of ours has ended) would otherwise meet
 *   the provider's account-switch logout form; that login is over, so it is
 *   taken off the provider's session.
 * - `guestTtl`: every token and record of a guest login ends within
 *   `guestTtlSeconds` of the consent, before its claims are deleted.
 */
import type Provider from 'oidc-provider';
import { interactionPolicy, type Grant, type KoaContextWithOIDC } from 'oidc-provider';
import { guestTtlSeconds, isGuestId } from './guest-claims-store.ts';

export function allowGuestResume(policy: interactionPolicy.DefaultPolicy): interactionPolicy.DefaultPolicy {
  const mismatch = policy.get('login')?.checks.get('sso_session_mismatch');
  if (!mismatch) throw new Error('the login prompt has no sso_session_mismatch check');
  const ours = mismatch.check;
  mismatch.check = (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (isGuestId(accountId) && ctx.oidc.result?.login?.accountId === accountId)
      return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    return ours(ctx);
  };
  return policy;
}

export async function guestGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const client = oidc.client;
  const accountId = oidc.session?.accountId;
  if (!client || !accountId) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
  const grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  return grant && grant.accountId === accountId && grant.clientId === client.clientId ? grant : undefined;
}

/**
 * Lifetimes for guest records: the access token (after at most a minute as
 * authorization code) ends when the claims do; the grant and the provider's
 * session no later. Undefined for everyone else.
 */
export const guestTtl = {
  accessToken: (accountId: string | undefined) => (isGuestId(accountId) ? guestTtlSeconds - 60 : undefined),
  record: (accountId: string | undefined) => (isGuestId(accountId) ? guestTtlSeconds : undefined),
};

export async function forgetEarlierGuest(
  provider: Provider,
  session: { uid?: string | undefined; accountId?: string | undefined } | undefined,
): Promise<void> {
  // A guest is offered only without an SSO session of ours; a login the provider still remembers for this
  // browser is then over (an earlier guest, or an account whose SSO session ended), and nothing of it stays.
  if (!session?.uid || !session.accountId) return;
  const stored = await provider.Session.findByUid(session.uid);
  if (!stored || stored.accountId !== session.accountId) return;
  stored.accountId = undefined;
  stored.acr = undefined;
  stored.amr = undefined;
  stored.loginTs = undefined;
  stored.authorizations = {};
  await stored.persist();
}
