import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../platform/clock.ts';
import { recoveryCodes } from './index.ts';
import { migratedDatabase } from '../../../test/helpers/db-template.ts';

test('ten codes, each works once, stored only as hashes, renewal voids the old ones', async () => {
  const db = await migratedDatabase();
  const accountId =
    (
      await db.query<{ id: string }>(
        "INSERT INTO accounts (username, email) VALUES ('a', 'a@example.org') RETURNING id",
      )
    ).rows[0]?.id ?? '';
  const codes = recoveryCodes({ clock: systemClock, key: 'k' });
  const issued = await codes.renew(db, accountId, 3);
  assert.equal(new Set(issued).size, 10);
  assert.ok(issued.every((c) => /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/.test(c)));
  const stored = await db.query<{ secret: string }>("SELECT secret FROM authentication_means WHERE kind = 'recovery'");
  assert.ok(
    stored.rows.every((r) => !issued.some((c) => r.secret.includes(c.replace('-', '')))),
    'no code in clear text',
  );
  const first = issued[0] ?? '';
  assert.equal(
    await codes.use(db, accountId, first.toLowerCase().replace('-', ' ')),
    3,
    'typed in lower case with a space; it stands in for the app at its level',
  );
  assert.equal(await codes.use(db, accountId, first), undefined, 'single use');
  assert.equal(await codes.remaining(db, accountId), 9);
  await codes.renew(db, accountId, 3);
  assert.equal(await codes.use(db, accountId, issued[1] ?? ''), undefined, 'renewal voids the old codes');
  await db.close();
});
