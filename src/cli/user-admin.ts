import { repositories } from '../repositories.ts';
import { auditLog } from '../audit/audit-log.ts';
import type { Account } from '../identity/account-repository.ts';
import { countLiveEidLinks } from '../methods/eid/link-repository.ts';
import { listMeansRows } from '../methods/means-repository.ts';
import { builtInMethods } from '../methods/registry.ts';
import { backchannelLogoutJob, backchannelTargets } from '../oidc/backchannel-targets.ts';
import { revokeTokensOf } from '../oidc/payload-repository.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database, Queryable } from '../platform/db/database.ts';
import { jobRepository } from '../platform/jobs/job-repository.ts';
import { identityLevel } from '../session/required-level.ts';
import { ssoSessions } from '../session/sso-session-repository.ts';
import { hasControlCharacters } from '../flows/validation.ts';
import type { CliOutput } from './output.ts';
import { levelName } from './levels.ts';
import { parse, required, UsageError } from './args.ts';

const audit = auditLog(systemClock);
const allKinds = builtInMethods.flatMap((m) => m.kinds as readonly string[]);
const when = (at: Date | null) => (at ? at.toISOString() : 'never');

/** The one account `--account` names; several registrations may share an unconfirmed address, then the id decides. */
async function oneAccount(db: Queryable, values: Record<string, unknown>): Promise<Account> {
  const term = required(values, 'account');
  const found = await repositories(db).accounts.lookup(term);
  if (found.length === 0) throw new UsageError(`--account: no account with the username, e-mail address or id ${term}`);
  if (found.length > 1)
    throw new UsageError(
      `--account: ${found.length} accounts carry ${term} (unconfirmed registrations); name one by its id: ${found.map((a) => a.id).join(', ')}`,
    );
  return found[0] as Account;
}

/** The operator's reason, kept in the audit log: a short sentence, no line breaks that would forge log lines. */
function reasonOf(values: Record<string, unknown>): string {
  const reason = required(values, 'reason');
  if (reason.length > 500 || hasControlCharacters(reason))
    throw new UsageError('--reason must be one line of at most 500 characters');
  return reason;
}

/** What an operator may see of an account: state and facts, never a secret, a code or identity data. */
async function describeAccount(db: Queryable, account: Account): Promise<string[]> {
  const attributes = await repositories(db).attributes.forAccount(account.id);
  const means = await listMeansRows(db, account.id, allKinds);
  const live = means.filter((m) => m.blocked_at === null);
  const cards = await countLiveEidLinks(db, account.id);
  const meansLines = [
    ...means.map(
      (m) =>
        `${m.kind}${m.display_name ? ` "${m.display_name}"` : ''}: level ${levelName(m.level)}, set up ${when(m.created_at)}, last used ${when(m.last_used_at)}${m.blocked_at ? `, BLOCKED ${when(m.blocked_at)}` : ''}`,
    ),
    ...(cards > 0 ? [`eID: ${cards} card${cards > 1 ? 's' : ''} linked, level hoch`] : []),
  ];
  const meansMax = Math.max(1, ...live.map((m) => m.level), cards > 0 ? 4 : 1);
  return [
    `Account:        ${account.id}`,
    `Username:       ${account.username}`,
    `E-mail:         ${account.email} (${account.emailVerifiedAt ? `confirmed ${when(account.emailVerifiedAt)}` : 'not confirmed'})`,
    `Status:         ${account.state}`,
    `Level:          identity data ${levelName(identityLevel(attributes))}, means up to ${levelName(meansMax)}`,
    `Means:          ${meansLines.length === 0 ? 'none' : meansLines.join('\n                ')}`,
    `Created:        ${when(account.createdAt)}`,
    `Last login:     ${when(account.lastLoginAt)}`,
  ];
}

/**
 * Ends every login of the account as a password reset does (session/end-everywhere.ts), without the server: the
 * back-channel logout notices go into the job table for the server's worker, then every token and SSO session goes.
 */
async function endLogins(tx: Queryable, accountId: string): Promise<void> {
  const targets = await backchannelTargets(tx, accountId);
  if (targets.length > 0) await jobRepository(tx).add(backchannelLogoutJob, { accountId, targets }, systemClock.now());
  await revokeTokensOf(tx, accountId);
  await ssoSessions(tx, systemClock).endAllFor(accountId, tx);
}

export const userShow = {
  usage: 'servicekonto user show --account USERNAME|E-MAIL|ID',
  parse: (args: string[]) => parse(args, { account: { type: 'string' } }),
  async run(db: Database, values: Record<string, unknown>, _config: unknown, io: CliOutput): Promise<void> {
    const term = required(values, 'account');
    const found = await repositories(db).accounts.lookup(term);
    if (found.length === 0)
      throw new UsageError(`--account: no account with the username, e-mail address or id ${term}`);
    for (const [index, account] of found.entries()) {
      if (index > 0) io.out('');
      for (const line of await describeAccount(db, account)) io.out(line);
    }
  },
};

export const userLock = {
  usage: 'servicekonto user lock --account USERNAME|E-MAIL|ID --reason TEXT',
  parse: (args: string[]) => parse(args, { account: { type: 'string' }, reason: { type: 'string' } }),
  async run(db: Database, values: Record<string, unknown>, _config: unknown, io: CliOutput): Promise<void> {
    const reason = reasonOf(values);
    const account = await db.transaction(async (tx) => {
      const found = await oneAccount(tx, values);
      await repositories(tx).accounts.setState(found.id, 'locked');
      await endLogins(tx, found.id);
      await audit.record(tx, {
        actor: 'cli',
        action: 'account.locked',
        subject: `account:${found.id}`,
        outcome: 'success',
        details: { reason },
      });
      return found;
    });
    io.out(
      `Locked account ${account.username} (${account.id}): every login is refused with a message to contact the operator; its sessions and tokens have ended.`,
    );
  },
};

export const userUnlock = {
  usage: 'servicekonto user unlock --account USERNAME|E-MAIL|ID --reason TEXT',
  parse: (args: string[]) => parse(args, { account: { type: 'string' }, reason: { type: 'string' } }),
  async run(db: Database, values: Record<string, unknown>, _config: unknown, io: CliOutput): Promise<void> {
    const reason = reasonOf(values);
    const account = await db.transaction(async (tx) => {
      const found = await oneAccount(tx, values);
      await repositories(tx).accounts.setState(found.id, 'active');
      await audit.record(tx, {
        actor: 'cli',
        action: 'account.unlocked',
        subject: `account:${found.id}`,
        outcome: 'success',
        details: { reason },
      });
      return found;
    });
    io.out(`Unlocked account ${account.username} (${account.id}): it can log in again.`);
  },
};
