import type { AppContext } from '../../context.ts';

interface InteractionLike {
  grantId?: string | undefined;
  params: Record<string, unknown>;
  prompt: { details: Record<string, unknown> };
}

/**
 * Records the citizen's consent (remembered per service and scope set) and
 * the matching oidc-provider grant, in that order: the grant is only a cache
 * of the consent.
 */
export async function grantConsent(
  app: AppContext,
  details: InteractionLike,
  accountId: string,
  scopes: string[],
): Promise<string> {
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await app.provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new app.provider.Grant({ accountId, clientId });
  if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
  const claims = details.prompt.details.missingOIDCClaims;
  if (Array.isArray(claims) && claims.length > 0) grant.addOIDCClaims(claims.map(String));
  await recordConsent(app, accountId, clientId, scopes);
  // The grant is a cache of the consent (rebuilt from it by loadRememberedGrant), so it is saved after.
  return grant.save();
}

/** The consent itself, for either protocol: remembered per service with its audit entry, in one transaction. */
export async function recordConsent(
  app: AppContext,
  accountId: string,
  serviceId: string,
  scopes: string[],
  context?: Record<string, string>,
): Promise<void> {
  await app.db.transaction(async (tx) => {
    await app.repos(tx).consents.grant(accountId, serviceId, scopes, app.clock.now(), context);
    await app.audit.record(tx, {
      actor: `account:${accountId}`,
      action: 'consent.granted',
      subject: `service:${serviceId}`,
      outcome: 'success',
      details: { scopes: scopes.join(' ') },
    });
  });
}
