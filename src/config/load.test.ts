import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './load.ts';

test('defaults need no variable and warn about development defaults', () => {
  const { config, warnings } = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.argon2, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  assert.ok(warnings.some((w) => w.includes('DATABASE_URL')));
});

test('a bad value stops with a message naming the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'http://x.example/base' }, 'PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ALLOW_EMBEDDED_DB: 'maybe' }, 'ALLOW_EMBEDDED_DB'],
    [{ ARGON2_MEMORY_KIB: '12' }, 'ARGON2_MEMORY_KIB'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'proxy.example' }, 'TRUST_PROXY'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.startsWith(variable), JSON.stringify(env));
  }
});

test('trusted proxies: hop counts and address lists', () => {
  assert.equal(loadConfig({}).config.trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: '1' }).config.trustProxy, 1);
  assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).config.trustProxy, '10.0.0.0/8,127.0.0.1');
});

test('production refuses the embedded database unless allowed, and wants https and SMTP', () => {
  const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://konto.example.de', SMTP_URL: 'smtp://mail.example.de' };
  assert.throws(() => loadConfig(base), /DATABASE_URL/);
  assert.equal(loadConfig({ ...base, ALLOW_EMBEDDED_DB: 'true' }).config.production, true);
  assert.throws(() => loadConfig({ ...base, DATABASE_URL: 'postgres://db/sk', PUBLIC_URL: 'http://konto.example.de' }), /https/);
  assert.throws(() => loadConfig({ ...base, DATABASE_URL: 'postgres://db/sk', SMTP_URL: '' }), /SMTP_URL/);
  assert.equal(loadConfig({ ...base, DATABASE_URL: 'postgres://db/sk' }).config.startExample, false);
});
