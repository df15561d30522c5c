import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, buildTestApp } from '../helpers/test-app.ts';

/** The address a failed login is counted under, with and without a trusted proxy. */
async function countedAddress(env: Record<string, string>, forwardedFor: string): Promise<string[]> {
  const t = await buildTestApp(env);
  try {
    const browser = new Browser(t.fastify);
    const _csrf = await browser.csrf('/login/password');
    await browser.post(
      '/login/password',
      { _csrf, username: 'nobody', password: 'wrong password' },
      { 'x-forwarded-for': forwardedFor },
    );
    const keys = await t.app.db.query<{ key: string }>("SELECT key FROM rate_counters WHERE key LIKE 'login:ip:%'");
    return keys.rows.map((r) => r.key.replace('login:ip:', ''));
  } finally {
    await t.close();
  }
}

test('without a trusted proxy X-Forwarded-For is ignored', async () => {
  assert.deepEqual(await countedAddress({}, '9.9.9.9'), ['127.0.0.1']);
});

test('with one trusted hop the address the proxy saw counts, not what the client wrote before it', async () => {
  assert.deepEqual(await countedAddress({ TRUST_PROXY: '1' }, '9.9.9.9, 8.8.8.8'), ['8.8.8.8']);
});
