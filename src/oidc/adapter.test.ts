import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from 'oidc-provider';
import { fixedClock } from '../platform/clock.ts';
import { createOidcAdapter } from './adapter.ts';
import { migratedDatabase } from '../../test/helpers/db-template.ts';
import { countingDatabase } from '../../test/helpers/counting-database.ts';
import { inScope, newScope } from './request-scope.ts';

test("found by fuzzing: a payload with NUL (a session's logout state) is the client's invalid_request, not a jsonb error", async () => {
  const db = await migratedDatabase();
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const sessions = new Adapter('Session');
  await assert.rejects(sessions.upsert('s1', { uid: 'u1', state: { state: 'a\u0000b' } }, 60), (error: unknown) => {
    assert.ok(error instanceof errors.InvalidRequest);
    assert.equal(error.statusCode, 400);
    return true;
  });
  await assert.rejects(sessions.upsert('s2', { uid: 'u2', ['a\u0000']: 1 }, 60), errors.InvalidRequest);
  assert.equal(await sessions.find('s1'), undefined, 'nothing was stored');
  await sessions.upsert('s3', { uid: 'u3', state: { state: 'a\\u0000b' } }, 60);
  assert.deepEqual(
    await sessions.find('s3'),
    { uid: 'u3', state: { state: 'a\\u0000b' } },
    'the six characters \\u0000 are no NUL',
  );
  await db.close();
});

test('issue 16: a token read in a request brings its session and grant along, answered once and forgotten on a write', async () => {
  const plain = await migratedDatabase();
  const db = countingDatabase(plain);
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const [sessions, grants, refreshTokens] = [new Adapter('Session'), new Adapter('Grant'), new Adapter('RefreshToken')];
  await sessions.upsert('s1', { uid: 'u1', accountId: 'guest:x' }, 60);
  await grants.upsert('g1', { accountId: 'guest:x', clientId: 'c' }, 60);
  await refreshTokens.upsert(
    'r1',
    { grantId: 'g1', sessionUid: 'u1', expiresWithSession: true, accountId: 'guest:x' },
    60,
  );

  await inScope(newScope(), async () => {
    db.start();
    assert.equal((await refreshTokens.find('r1'))?.grantId, 'g1');
    assert.equal((await sessions.findByUid('u1'))?.accountId, 'guest:x');
    assert.equal((await grants.find('g1'))?.clientId, 'c');
    assert.equal(db.stop().statements.length, 1, 'token, session and grant in one statement');
    db.start();
    assert.equal((await sessions.findByUid('u1'))?.uid, 'u1', 'a second lookup asks the database');
    assert.equal(db.stop().statements.length, 1);
  });

  await inScope(newScope(), async () => {
    await refreshTokens.find('r1');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'guest:x', changed: true }, 60);
    assert.equal((await sessions.findByUid('u1'))?.changed, true, 'what was read ahead is stale after a write');
  });
  await plain.close();
});

test('issue 16: the access and refresh token a request issues are written in one statement before it ends', async () => {
  const plain = await migratedDatabase();
  const db = countingDatabase(plain);
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const [accessTokens, refreshTokens] = [new Adapter('AccessToken'), new Adapter('RefreshToken')];
  const scope = newScope();
  await inScope(scope, async () => {
    db.start();
    await refreshTokens.upsert('r2', { grantId: 'g2' }, 60);
    await accessTokens.upsert('a2', { grantId: 'g2' }, 60);
    assert.equal(db.stop().statements.length, 0, 'held back');
    // Read your writes: a lookup in the same request writes what is held first.
    assert.equal((await new Adapter('AccessToken').find('a2'))?.grantId, 'g2');
    await accessTokens.upsert('a3', { grantId: 'g2' }, 60);
  });
  db.start();
  await Adapter.writeHeld(scope);
  const written = db.stop().statements;
  assert.equal(written.length, 1, 'one statement');
  assert.match(written[0]?.sql ?? '', /INSERT INTO oidc_payloads/);
  assert.equal((await accessTokens.find('a3'))?.grantId, 'g2');
  assert.equal((await refreshTokens.find('r2'))?.grantId, 'g2');
  await plain.close();
});

test('issue 16: what a request writes and destroys goes in one statement at its end; its finds see the held version', async () => {
  const plain = await migratedDatabase();
  const db = countingDatabase(plain);
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const [interactions, sessions, grants, codes] = [
    new Adapter('Interaction'),
    new Adapter('Session'),
    new Adapter('Grant'),
    new Adapter('AuthorizationCode'),
  ];
  await interactions.upsert('i9', { uid: 'i9', returnTo: '/oidc/auth/i9' }, 60);
  await sessions.upsert('s9', { uid: 'u9' }, 60);

  const scope = newScope();
  await inScope(scope, async () => {
    db.start();
    // A resumed authorization: the interaction goes, the grant, the code and the session are written.
    await interactions.destroy('i9');
    await grants.upsert('g9', { accountId: 'guest:y', clientId: 'c' }, 60);
    await codes.upsert('c9', { grantId: 'g9' }, 60);
    await sessions.upsert('s9', { uid: 'u9', accountId: 'guest:y' }, 60);
    assert.equal(await interactions.find('i9'), undefined, 'a destroyed record is gone for the rest of the request');
    assert.equal((await grants.find('g9'))?.clientId, 'c');
    assert.equal((await sessions.findByUid('u9'))?.accountId, 'guest:y', 'found by uid too');
    assert.equal(db.stop().statements.length, 0, 'held back and answered without the database');
  });
  assert.equal(await plain.query("SELECT 1 FROM oidc_payloads WHERE id = 'g9'").then((r) => r.rowCount), 0);
  db.start();
  await Adapter.writeHeld(scope);
  const statements = db.stop().statements;
  assert.equal(statements.length, 1, 'one statement');
  assert.match(statements[0]?.sql ?? '', /DELETE FROM oidc_payloads[^]*INSERT INTO oidc_payloads/);
  assert.equal(await interactions.find('i9'), undefined);
  assert.equal((await codes.find('c9'))?.grantId, 'g9');
  assert.equal((await sessions.find('s9'))?.accountId, 'guest:y');
  await plain.close();
});

test('issue 16: a refresh token redeemed in a request is marked used by the statement of its writes; a parallel loser stores nothing', async () => {
  const plain = await migratedDatabase();
  const db = countingDatabase(plain);
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const [refreshTokens, accessTokens] = [new Adapter('RefreshToken'), new Adapter('AccessToken')];
  await refreshTokens.upsert('r0', { grantId: 'g0' }, 60);
  const redeem = async (next: string) => {
    const scope = newScope();
    await inScope(scope, async () => {
      assert.equal((await refreshTokens.find('r0'))?.consumed, undefined, 'both read it unused');
      db.start();
      await refreshTokens.consume('r0');
      assert.equal(db.stop().statements.length, 0, 'held with the writes');
      await refreshTokens.upsert(next, { grantId: 'g0' }, 60);
      await accessTokens.upsert(`a-${next}`, { grantId: 'g0' }, 60);
    });
    return scope;
  };
  const [first, second] = [await redeem('r1'), await redeem('r2')];
  db.start();
  await Adapter.writeHeld(first);
  assert.equal(db.stop().statements.length, 1, 'the consume and the new tokens in one statement');
  // RFC 6749 §4.1.2: of two redemptions one wins; the other gets what a lost consume threw before.
  await assert.rejects(Adapter.writeHeld(second), errors.InvalidGrant);
  assert.ok((await refreshTokens.find('r0'))?.consumed, 'marked used');
  assert.equal((await refreshTokens.find('r1'))?.grantId, 'g0');
  assert.equal((await accessTokens.find('a-r1'))?.grantId, 'g0');
  assert.equal(await refreshTokens.find('r2'), undefined, "the loser's tokens are not stored");
  assert.equal(await accessTokens.find('a-r2'), undefined);
  await plain.close();
});

test('issue 16: a redeemed record written again in the request is marked used first; other models are consumed at once', async () => {
  const plain = await migratedDatabase();
  const db = countingDatabase(plain);
  const Adapter = createOidcAdapter(db, fixedClock(new Date()));
  const [codes, pushed] = [new Adapter('AuthorizationCode'), new Adapter('PushedAuthorizationRequest')];
  await codes.upsert('c1', { grantId: 'g1' }, 60);
  await pushed.upsert('p1', { clientId: 'c' }, 60);
  const scope = newScope();
  await inScope(scope, async () => {
    db.start();
    // The authorization endpoint consumes it; its answer is a redirect, no flush decides it (adapter.ts).
    await pushed.consume('p1');
    assert.equal(db.stop().statements.length, 1, 'at once');
    await codes.consume('c1');
    await codes.upsert('c1', { grantId: 'g1', changed: true }, 60);
  });
  await Adapter.writeHeld(scope);
  const code = await codes.find('c1');
  assert.equal(code?.changed, true);
  assert.ok(code?.consumed, 'the consume was not lost to the write');
  assert.ok((await pushed.find('p1'))?.consumed);
  await plain.close();
});
