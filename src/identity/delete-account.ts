import type { AppContext } from '../context.ts';
import type { Queryable } from '../platform/db/database.ts';

/** Why the account goes: the citizen asked (Mein Konto), or it was unused too long (identity/inactivity.ts). */
export type DeletionCause = 'request' | 'inactivity';

/**
 * Deletes the account with everything held about it (DESIGN.md §7), in the caller's transaction; one path for a
 * deletion on request and after inactivity, so the services hear of both alike.
 */
export async function deleteAccount(app: AppContext, tx: Queryable, accountId: string, cause: DeletionCause) {
  // Read before the rows go: the consents cascade with the account.
  const holders = (await app.repos(tx).consents.listActive(accountId)).map((consent) => consent.serviceId);
  // Services holding consent first (DESIGN.md §7), then every protocol's services with a session, and their tokens
  // end (session/logout-fan-out.ts), all before the account goes.
  const told = await app.logout.notifyDeletion(tx, accountId);
  await app.logout.endAccount(tx, accountId);
  await app.repos(tx).accounts.remove(accountId);
  // The audit entry keeps only ids: the personal data are gone. A SAML service has no back channel here, so it is
  // named as not reached.
  const details = {
    cause,
    servicesTold: told.join(' '),
    servicesNotReached: holders.filter((id) => !told.includes(id)).join(' '),
  };
  if (cause === 'request') await app.audit.account(tx, accountId, 'account.deleted', details);
  else
    await app.audit.record(tx, {
      actor: 'system',
      action: 'account.deleted',
      subject: `account:${accountId}`,
      outcome: 'success',
      details,
    });
}
