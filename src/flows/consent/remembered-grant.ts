import type { KoaContextWithOIDC, Grant } from 'oidc-provider';
import type { ConsentRepository } from './consent-repository.ts';

/**
 * oidc-provider's `loadExistingGrant`: the grant of this browser session if
 * there is one, else a grant rebuilt from the remembered consent, so a
 * returning citizen is not asked again for what they already allowed.
 * Scopes beyond the remembered ones still trigger the consent prompt.
 */
export async function loadRememberedGrant(
  ctx: KoaContextWithOIDC,
  consents: ConsentRepository,
): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const client = oidc.client;
  const accountId = oidc.session?.accountId;
  if (!client || !accountId) return undefined;
  const remembered = await consents.active(accountId, client.clientId);
  if (!remembered) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
  if (grantId) {
    const existing = await oidc.provider.Grant.find(grantId);
    if (existing && existing.accountId === accountId) return existing;
  }
  const grant = new oidc.provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope(remembered);
  await grant.save();
  return grant;
}
