import type { AppContext } from '../../context.ts';
import type { SecondFactorKind } from '../../methods/second-factors.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { translator } from '../../text/index.ts';

type Notice = 'passwordChanged' | 'recoveryCodesRenewed' | 'meansAdded' | 'meansRemoved' | 'secondFactorOff';

/**
 * Tells the citizen by mail about a security change of the account, in the
 * same transaction as the change (the mail leaves after the commit, through
 * the job table). OWASP ASVS 2.2.3: notify after updates to authentication
 * details, so an owner whose password was phished learns of it.
 */
export async function notifyChange(
  app: AppContext,
  tx: Queryable,
  accountId: string,
  notice: Notice,
  kind?: SecondFactorKind | 'eid',
): Promise<void> {
  const account = await app.repos(tx).accounts.byId(accountId);
  if (!account) return;
  const params: Record<string, string> = { username: account.username };
  if (kind) params.means = translator(account.language)(`mail.means.${kind}`);
  await app.mailer.queue(tx, { to: account.email, lang: account.language, template: notice, params });
}
