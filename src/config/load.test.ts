import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './load.ts';

test('defaults need no variable and warn about development defaults', () => {
  const { config, warnings } = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.argon2, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  // DESIGN.md §7: deleted after 24 months unused, warned 6 and 3 months before.
  assert.deepEqual(config.inactivity, { deleteAfterMonths: 24, firstWarningMonths: 6, secondWarningMonths: 3 });
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
    // Ports browsers refuse to open (Fetch "bad ports"): the server would start and no citizen could reach it.
    [{ PORT: '6000' }, 'PORT'],
    [{ PUBLIC_URL: 'https://konto.example:6667' }, 'PUBLIC_URL'],
    [{ EXAMPLE_PORT: '5060' }, 'EXAMPLE_PORT'],
    // The warnings must come in order and before the deletion, or a citizen would be deleted unwarned.
    [{ INACTIVITY_FIRST_WARNING_MONTHS: '24' }, 'INACTIVITY_FIRST_WARNING_MONTHS'],
    [{ INACTIVITY_SECOND_WARNING_MONTHS: '6' }, 'INACTIVITY_SECOND_WARNING_MONTHS'],
    [{ INACTIVITY_DELETE_MONTHS: '0' }, 'INACTIVITY_DELETE_MONTHS'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) =>
        error instanceof ConfigError && error.variable === variable && error.message.startsWith(variable),
      JSON.stringify(env),
    );
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
  assert.throws(
    () => loadConfig({ ...base, DATABASE_URL: 'postgres://db/sk', PUBLIC_URL: 'http://konto.example.de' }),
    /https/,
  );
  assert.throws(() => loadConfig({ ...base, DATABASE_URL: 'postgres://db/sk', SMTP_URL: '' }), /SMTP_URL/);
  assert.equal(loadConfig({ ...base, DATABASE_URL: 'postgres://db/sk' }).config.startExample, false);
});

test('eID: the simulator by default in development, never in production; a real server needs TLS and signing files there', () => {
  const dev = loadConfig({}).config.eid;
  assert.equal(dev?.simulator, true);
  assert.equal(dev?.clientUrl, 'http://localhost:3000/dev/eid-client/eID-Client');
  const second = loadConfig({ EID_SERVER_URL: 'http://127.0.0.1:3100/eid' }).config.eid;
  assert.equal(second?.simulator, false, 'a configured server replaces the simulator');
  assert.equal(second?.clientUrl, 'http://127.0.0.1:24727/eID-Client', 'and the real eID client is the default');
  assert.equal(second?.clientUrlMobile, 'eid://127.0.0.1:24727/eID-Client');
  assert.equal(loadConfig({ EID_SIMULATOR: 'false' }).config.eid, undefined);

  const prod = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://konto.example.de',
    SMTP_URL: 'smtp://mail.example.de',
    DATABASE_URL: 'postgres://db/sk',
  };
  const { config, warnings } = loadConfig(prod);
  assert.equal(config.eid, undefined, 'production without an eID-Server offers no eID');
  assert.ok(warnings.some((w) => w.includes('EID_SERVER_URL')));
  const refused: [Record<string, string>, string][] = [
    [{ ...prod, EID_SIMULATOR: 'true' }, 'EID_SIMULATOR'],
    [{ ...prod, EID_SERVER_URL: 'http://eid.example.de/eid' }, 'EID_SERVER_URL'],
    [{ ...prod, EID_SERVER_URL: 'https://eid.example.de/eid' }, 'EID_CLIENT_TLS_CERT'],
    [
      {
        ...prod,
        EID_SERVER_URL: 'https://eid.example.de/eid',
        EID_CLIENT_TLS_CERT: '/etc/sk/tls.pem',
        EID_CLIENT_TLS_KEY: '/etc/sk/tls.key',
      },
      'EID_SERVER_SIGNING_CERT',
    ],
    [
      {
        ...prod,
        EID_SERVER_URL: 'https://eid.example.de/eid',
        EID_CLIENT_TLS_CERT: '/etc/sk/tls.pem',
        EID_CLIENT_TLS_KEY: '/etc/sk/tls.key',
        EID_SERVER_SIGNING_CERT: '/etc/sk/eid-server.pem',
      },
      'EID_SECTOR',
    ],
    [{ EID_CLIENT_TLS_CERT: '/etc/sk/tls.pem' }, 'EID_CLIENT_TLS_KEY'],
    [{ EID_SERVER_URL: 'http://127.0.0.1:3100/eid', EID_SIMULATOR: 'true' }, 'EID_SIMULATOR'],
    [{ EID_SECTOR: 'a sector with spaces' }, 'EID_SECTOR'],
    [{ EID_TRANSACTION_MINUTES: '90' }, 'EID_TRANSACTION_MINUTES'],
  ];
  for (const [env, variable] of refused) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && error.variable === variable,
      JSON.stringify(env),
    );
  }
  const real = loadConfig({
    ...prod,
    EID_SERVER_URL: 'https://eid.example.de/eid',
    EID_CLIENT_TLS_CERT: '/etc/sk/tls.pem',
    EID_CLIENT_TLS_KEY: '/etc/sk/tls.key',
    EID_SERVER_SIGNING_CERT: '/etc/sk/eid-server.pem',
    EID_SECTOR: 'land-nrw',
  }).config.eid;
  assert.equal(real?.signingCertFile, '/etc/sk/tls.pem', 'the WS-Security key defaults to the TLS pair');
});

test('HOST: loopback outside production, every interface in production; development pages on the network are warned about', () => {
  assert.equal(loadConfig({}).config.host, '127.0.0.1');
  const prod = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://konto.example.de',
    SMTP_URL: 'smtp://mail.example.de',
    DATABASE_URL: 'postgres://db/sk',
  };
  assert.equal(loadConfig(prod).config.host, '0.0.0.0');
  assert.ok(!loadConfig(prod).warnings.some((w) => w.startsWith('DANGER')));
  const exposed = loadConfig({ HOST: '0.0.0.0' });
  assert.equal(exposed.config.host, '0.0.0.0');
  const danger = exposed.warnings.find((w) => w.startsWith('DANGER'));
  assert.match(danger ?? '', /\/dev\/mail.*\/dev\/sms.*\/dev\/eid-client/);
  assert.ok(!loadConfig({ HOST: '127.0.0.2' }).warnings.some((w) => w.startsWith('DANGER')), 'loopback is fine');
  assert.ok(
    !loadConfig({
      HOST: '::',
      SMTP_URL: 'smtp://m',
      SMS_GATEWAY_URL: 'https://sms.example',
      EID_SIMULATOR: 'false',
    }).warnings.some((w) => w.startsWith('DANGER')),
    'no development pages, nothing to warn about',
  );
  assert.throws(() => loadConfig({ HOST: 'a b' }), /HOST/);
});

test('connection limits: a cap per address when clients connect directly, none behind a proxy', () => {
  assert.deepEqual(loadConfig({}).config.connections, { headersTimeoutSeconds: 10, maxPerAddress: 128 });
  assert.equal(loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: '5' }).config.connections.maxPerAddress, 5);
  assert.equal(loadConfig({ TRUST_PROXY: '1', MAX_CONNECTIONS_PER_ADDRESS: '5' }).config.connections.maxPerAddress, 0);
  assert.throws(() => loadConfig({ HEADERS_TIMEOUT_SECONDS: '0' }), /HEADERS_TIMEOUT_SECONDS/);
});

test('a port that browsers block is refused at start with the reason, not served to no one', () => {
  assert.throws(() => loadConfig({ PORT: '6000' }), {
    message: /^PORT: port 6000 is one that browsers refuse to open .*choose another/,
  });
  assert.equal(loadConfig({ PORT: '6001' }).config.port, 6001);
  assert.equal(loadConfig({ PUBLIC_URL: 'https://konto.example:8443' }).config.publicUrl, 'https://konto.example:8443');
});
