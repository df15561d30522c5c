import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../platform/clock.ts';
import { sessionLimits, type Level } from './limits.ts';
import { ssoSessions } from './sso-session-repository.ts';
import { migratedDatabase } from '../../test/helpers/db-template.ts';

/** TR-03160-1 table 2 on the SSO session, each boundary one second either side, with the injected clock. */
test('session limits hold at every boundary', async () => {
  const db = await migratedDatabase();
  const account = await db.query<{ id: string }>(
    "INSERT INTO accounts (username, email) VALUES ('a', 'a@example.org') RETURNING id",
  );
  const accountId = account.rows[0]?.id ?? '';
  for (const level of [1, 2, 3, 4] as Level[]) {
    const { maxSeconds, idleSeconds } = sessionLimits(level);
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const sessions = ssoSessions(db, clock);

    // Idle: just before the limit the session lives (and the idle time starts again); at the limit it is gone.
    const idle = await sessions.start(accountId, level, ['pwd']);
    clock.advance((idleSeconds - 1) * 1000);
    assert.ok(await sessions.resume(idle.token), `level ${level}: alive 1 s before the idle limit`);
    clock.advance(idleSeconds * 1000);
    assert.equal(await sessions.resume(idle.token), undefined, `level ${level}: ended after ${idleSeconds} s idle`);

    // Hard limit: activity keeps it alive until the longest session, never beyond.
    const active = await sessions.start(accountId, level, ['pwd']);
    const step = Math.floor(idleSeconds / 2);
    let elapsed = 0;
    while (elapsed + step < maxSeconds) {
      clock.advance(step * 1000);
      elapsed += step;
      assert.ok(await sessions.resume(active.token), `level ${level}: alive at ${elapsed} s with activity`);
    }
    clock.advance((maxSeconds - elapsed) * 1000);
    assert.equal(
      await sessions.resume(active.token),
      undefined,
      `level ${level}: ended at ${maxSeconds} s whatever the activity`,
    );
  }
  await db.close();
});
