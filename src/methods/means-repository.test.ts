import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountRepository } from '../identity/account-repository.ts';
import { levelsByKind, passwordEnoughForLow, secondFactorWish, setPasswordEnoughForLow } from './means-repository.ts';
import { migratedDatabase } from '../../test/helpers/db-template.ts';

test("a login's second-factor read agrees with the two reads it replaces: the citizen's choice and the levels", async () => {
  const db = await migratedDatabase();
  const account = await accountRepository(db).create({
    username: 'wish',
    email: 'wish@example.org',
    language: 'de',
    verified: true,
  });
  const kinds = ['totp', 'sms', 'webauthn'];
  const both = async () => ({
    one: await secondFactorWish(db, account.id, kinds),
    two: {
      passwordEnough: await passwordEnoughForLow(db, account.id),
      levels: await levelsByKind(db, account.id, kinds),
    },
  });
  let { one, two } = await both();
  assert.deepEqual(one, { passwordEnough: false, levels: new Map() });
  assert.deepEqual(one, two);

  // A confirmed token, a pending one (counts for nothing), a blocked SMS number (neither), the citizen's choice.
  await db.query(
    `INSERT INTO authentication_means (account_id, kind, secret, level, public_data, blocked_at) VALUES
       ($1, 'totp', 'a', 3, '{"confirmed": true}', NULL),
       ($1, 'totp', 'b', 4, '{"confirmed": false}', NULL),
       ($1, 'sms', 'c', 3, NULL, now())`,
    [account.id],
  );
  await setPasswordEnoughForLow(db, account.id, true);
  ({ one, two } = await both());
  assert.deepEqual(one, { passwordEnough: true, levels: new Map([['totp', 3]]) });
  assert.deepEqual(one, two);
  assert.equal(await secondFactorWish(db, '00000000-0000-4000-8000-000000000000', kinds), undefined);
  await db.close();
});
