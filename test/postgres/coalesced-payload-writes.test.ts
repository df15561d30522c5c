import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coalescedPayloadWrites, writeGroups } from '../../src/oidc/payload-write-repository.ts';
import { payloadRepository } from '../../src/oidc/payload-repository.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { scratchPostgres } from '../helpers/scratch-postgres.ts';

/**
 * Issue 16: the adapter's writes of concurrent requests share a statement (payload-write-repository.ts). Each
 * request's redemption still wins or loses on its own, on a real PostgreSQL with parallel connections.
 */
describe('coalesced writes of oidc-provider records on PostgreSQL', () => {
  const postgres = scratchPostgres({ prepare: migrate });

  const expires = () => new Date(Date.now() + 60_000);
  const refreshToken = (id: string) => ({
    model: 'RefreshToken',
    id,
    payload: { grantId: `g-${id}` },
    expiresAt: expires(),
  });
  const stored = async (ids: string[]) =>
    (
      await postgres.db.query<{ id: string }>('SELECT id FROM oidc_payloads WHERE id = ANY($1) ORDER BY id', [ids])
    ).rows.map((row) => row.id);

  test('in one statement, a group whose token was used already loses alone: the others are stored', async () => {
    await writeGroups(postgres.db, [
      { records: [refreshToken('used'), refreshToken('fresh')], deleted: [], consumed: [] },
    ]);
    await postgres.db.query("UPDATE oidc_payloads SET consumed_at = now() WHERE id = 'used'");
    const at = new Date();
    const won = await writeGroups(postgres.db, [
      { records: [refreshToken('plain-1')], deleted: [], consumed: [] },
      { records: [refreshToken('after-used')], deleted: [], consumed: [{ model: 'RefreshToken', id: 'used', at }] },
      { records: [refreshToken('after-fresh')], deleted: [], consumed: [{ model: 'RefreshToken', id: 'fresh', at }] },
      { records: [], deleted: [{ model: 'RefreshToken', id: 'plain-1-gone' }], consumed: [] },
    ]);
    assert.deepEqual(won, [true, false, true, true]);
    assert.deepEqual(await stored(['plain-1', 'after-used', 'after-fresh']), ['after-fresh', 'plain-1']);
    const fresh = await postgres.db.query<{ consumed_at: Date | null }>(
      "SELECT consumed_at FROM oidc_payloads WHERE id = 'fresh'",
    );
    assert.ok(fresh.rows[0]?.consumed_at, 'the winner marked its token used');
  });

  test('40 parallel redemptions of 4 tokens through the coalescer: exactly one wins per token, only its tokens stay', async () => {
    const write = coalescedPayloadWrites(postgres.db);
    const tokens = ['t0', 't1', 't2', 't3'];
    await writeGroups(postgres.db, [{ records: tokens.map(refreshToken), deleted: [], consumed: [] }]);
    const attempts = Array.from({ length: 40 }, (_, i) => ({ token: tokens[i % 4] ?? 't0', issued: `new-${i}` }));
    const won = await Promise.all(
      attempts.map(({ token, issued }) =>
        write({
          records: [refreshToken(issued)],
          deleted: [],
          consumed: [{ model: 'RefreshToken', id: token, at: new Date() }],
        }),
      ),
    );
    const winners = attempts.filter((_, i) => won[i]);
    assert.deepEqual(winners.map((w) => w.token).sort(), tokens, 'one winner per token');
    assert.deepEqual(await stored(attempts.map((a) => a.issued)), winners.map((w) => w.issued).sort());
  });

  test('tokens of several requests looked up in one statement: each lookup gets its own answer, in order', async () => {
    const now = new Date();
    await writeGroups(postgres.db, [
      {
        records: [
          { model: 'Grant', id: 'lg', payload: { accountId: 'nobody', clientId: 'c' }, expiresAt: expires() },
          { model: 'AccessToken', id: 'la', payload: { grantId: 'lg' }, expiresAt: expires() },
          { model: 'AccessToken', id: 'lx', payload: { grantId: 'lg' }, expiresAt: new Date(now.getTime() - 1000) },
        ],
        deleted: [],
        consumed: [],
      },
    ]);
    const found = await payloadRepository(postgres.db).findTokensWithContext([
      { model: 'AccessToken', id: 'unknown', now },
      { model: 'AccessToken', id: 'la', now },
      { model: 'AccessToken', id: 'lx', now },
      { model: 'RefreshToken', id: 'la', now },
      { model: 'AccessToken', id: 'la', now: new Date(now.getTime() + 120_000) },
    ]);
    assert.deepEqual(
      found.map((f) => f?.grant?.payload?.clientId ?? null),
      [null, 'c', null, null, null],
      'only the live access token, with its grant',
    );
  });
});
