import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import type { ListedSession } from './sessions-page.ts';
import { askableFactors } from '../../login/factors.ts';
import { usedSecondFactor } from '../../methods/second-factors.ts';

/**
 * How a form names a session: a hash of its stored id. The stored id is
 * itself the hash of the cookie token, but it is the key the database
 * knows the session by; the page needs only something to point with.
 */
export const sessionHandle = (id: string): string =>
  createHash('sha256').update(`session:${id}`).digest('hex').slice(0, 32);

/**
 * The account's live sessions, this browser's first and marked. On an
 * account with a second factor, a session begun with the password alone is
 * marked too: that is how a stolen password shows (issue 15).
 */
export async function listSessions(app: AppContext, current: SsoSession): Promise<ListedSession[]> {
  const rows = await app.sessions.listFor(current.accountId);
  const hasFactor = (await askableFactors(app, current.accountId)).length > 0;
  const listed = rows.map(({ id, ...rest }) => ({
    ...rest,
    handle: sessionHandle(id),
    current: id === current.id,
    passwordOnly: hasFactor && !usedSecondFactor(rest),
  }));
  return [...listed.filter((s) => s.current), ...listed.filter((s) => !s.current)];
}

/** The stored id of one of the account's sessions, found by the handle a form sent; never another account's. */
export async function sessionByHandle(app: AppContext, accountId: string, handle: string): Promise<string | undefined> {
  const rows = await app.sessions.listFor(accountId);
  return rows.find((r) => sessionHandle(r.id) === handle)?.id;
}
