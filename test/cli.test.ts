import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAML } from '@node-saml/node-saml';
import { lockDataDir } from '../src/platform/db/data-dir-lock.ts';
import { generateKeyWithCertificate } from '../src/platform/crypto/certificate.ts';
import { runCli } from '../src/cli/run.ts';
import { seedDataDir } from './helpers/db-template.ts';

const bin = new URL('../bin/servicekonto.js', import.meta.url).pathname;

function cliEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return env;
}

/**
 * Runs a command as `bin/servicekonto.js` would, in this process: the same code from the arguments on (exit code,
 * output, the data dir and its lock), without a Node start per command. The locked data dir test runs the real binary.
 */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, cliEnv(dataDir), {
    out: (line) => void (out += `${line}\n`),
    err: (line) => void (err += `${line}\n`),
  });
  return { code, out, err };
}

/** The installed command itself, in its own process. */
function cliProcess(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: cliEnv(dataDir), encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('the CLI registers clients and accounts and explains bad arguments', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  await seedDataDir(dataDir);
  try {
    const added = await cli(
      dataDir,
      'client',
      'add',
      '--id',
      'fees',
      '--redirect-uri',
      'http://localhost:3001/callback',
      '--name',
      'Elternbeiträge',
      '--min-level',
      '2',
    );
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, /public, PKCE required/);
    const listed = await cli(dataDir, 'client', 'list');
    assert.match(listed.out, /^fees\tElternbeiträge\tpublic\thttp:\/\/localhost:3001\/callback$/m);

    const user = await cli(
      dataDir,
      'user',
      'create',
      '--username',
      'erika.m',
      '--email',
      'erika@example.org',
      '--password',
      'Zwei Katzen schlafen',
      '--verified',
    );
    assert.equal(user.code, 0, user.err);
    assert.match(user.out, /e-mail verified/);
    const twice = await cli(
      dataDir,
      'user',
      'create',
      '--username',
      'erika.m',
      '--email',
      'other@example.org',
      '--password',
      'Zwei Katzen schlafen',
    );
    assert.equal(twice.code, 2);
    assert.match(twice.err, /exists already/);

    for (const args of [
      ['client', 'add', '--id', 'x!', '--redirect-uri', 'https://a.example/cb'],
      ['client', 'add', '--id', 'fees2', '--redirect-uri', 'http://evil.example/cb'],
      ['client', 'add', '--id', 'fees3', '--redirect-uri', 'https://a.example/cb#frag'],
      ['client', 'add', '--id', 'fees4', '--redirect-uri', 'https://a.example/cb', '--secret', 'short'],
      ['client', 'add', '--id', 'fees5'],
      ['client', 'add', '--id', 'fees6', '--redirect-uri', 'https://a.example/cb', '--min-level', '5'],
      ['client', 'add', '--unknown-flag'],
      ['user', 'create', '--username', 'bob', '--email', 'bob@example.org', '--password', 'password123'],
      ['no-such-command'],
    ]) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
      assert.ok(result.err.length > 0 && !/\n\s+at /.test(result.err), 'a message, no stack');
    }
    const verified = await cli(
      dataDir,
      'user',
      'verify',
      '--username',
      'erika.m',
      '--given-name',
      'Erika',
      '--family-name',
      'Mustermann',
      '--birthdate',
      '1964-08-12',
      '--address',
      'Heidestraße 17, 51147 Köln',
      '--document',
      'idcard',
      '--clerk',
      'Sachbearbeiterin Meier',
      '--office',
      'Bürgerbüro Mitte',
    );
    assert.equal(verified.code, 0, verified.err);
    assert.match(verified.out, /level hoch/);
    for (const args of [
      [
        '--username',
        'erika.m',
        '--given-name',
        'E',
        '--family-name',
        'M',
        '--birthdate',
        '1964-08-12',
        '--document',
        'library-card',
        '--clerk',
        'X',
      ],
      [
        '--username',
        'erika.m',
        '--given-name',
        'E',
        '--family-name',
        'M',
        '--birthdate',
        '1964-02-30',
        '--document',
        'idcard',
        '--clerk',
        'X',
      ],
      [
        '--username',
        'nobody',
        '--given-name',
        'E',
        '--family-name',
        'M',
        '--birthdate',
        '1964-08-12',
        '--document',
        'idcard',
        '--clerk',
        'X',
      ],
      [
        '--username',
        'erika.m',
        '--given-name',
        'E',
        '--family-name',
        'M',
        '--birthdate',
        '1964-08-12',
        '--document',
        'idcard',
        '--clerk',
        'X',
        '--address',
        'no postal code',
      ],
    ]) {
      assert.equal((await cli(dataDir, 'user', 'verify', ...args)).code, 2, args.join(' '));
    }
    const rotated = await cli(dataDir, 'keys', 'rotate');
    assert.equal(rotated.code, 0, rotated.err);
    assert.equal((await cli(dataDir, 'migrate')).code, 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('client update changes only the options given; show lists every setting without the secret; remove needs --yes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  await seedDataDir(dataDir);
  const secret = 'a-secret-of-the-service-with-32-characters-or-more';
  try {
    const added = await cli(
      dataDir,
      ...['client', 'add', '--id', 'wohngeld', '--secret', secret, '--name', 'Wohngeld'],
      ...['--redirect-uri', 'https://wohngeld.example/cb', '--backchannel-logout-uri', 'https://wohngeld.example/bcl'],
      ...['--min-level', '3', '--guest'],
    );
    assert.equal(added.code, 0, added.err);
    const updated = await cli(
      dataDir,
      ...['client', 'update', '--id', 'wohngeld', '--redirect-uri', 'https://wohngeld.example/cb2'],
      ...['--backchannel-logout-uri', '', '--no-guest'],
    );
    assert.equal(updated.code, 0, updated.err);
    assert.match(updated.out, /^Updated OIDC client wohngeld \(confidential, client_secret_basic;/);
    const shown = await cli(dataDir, 'client', 'show', '--id', 'wohngeld');
    assert.equal(shown.code, 0, shown.err);
    assert.doesNotMatch(shown.out, new RegExp(secret), 'the secret is never printed');
    for (const line of [
      /^Name: +Wohngeld$/m,
      /^Minimum level: +substanziell$/m,
      /^Secret: +set \(not shown\)$/m,
      /^Redirect URIs: +https:\/\/wohngeld\.example\/cb2$/m,
      /^Back-channel logout URI: +none$/m,
      /^Guest login: +no$/m,
      /^ID token algorithm: +RS256$/m,
    ])
      assert.match(shown.out, line);
    // A new secret keeps the method; switching to a public client drops the secret.
    const publicNow = await cli(dataDir, 'client', 'update', '--id', 'wohngeld', '--token-auth-method', 'none');
    assert.equal(publicNow.code, 0, publicNow.err);
    assert.match((await cli(dataDir, 'client', 'show', '--id', 'wohngeld')).out, /^Secret: +none$/m);
    const details = await cli(dataDir, 'client', 'list', '--details');
    assert.match(details.out, /^Client id: +wohngeld$/m);
    assert.match(details.out, /^Token auth method: +none$/m);

    for (const [args, message] of [
      [['client', 'update', '--id', 'nobody', '--name', 'X'], /no OIDC client nobody/],
      [['client', 'update', '--id', 'wohngeld', '--min-level', '7'], /--min-level must be 1/],
      [['client', 'update', '--id', 'wohngeld', '--guest', '--no-guest'], /--guest or --no-guest/],
      [['client', 'remove', '--id', 'wohngeld'], /Add --yes/],
      [['client', 'show', '--id', 'nobody'], /no OIDC client nobody/],
    ] as const) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
      assert.match(result.err, message);
    }
    assert.match((await cli(dataDir, 'client', 'list')).out, /^wohngeld\t/m, 'nothing removed without --yes');
    const removed = await cli(dataDir, 'client', 'remove', '--id', 'wohngeld', '--yes');
    assert.equal(removed.code, 0, removed.err);
    assert.equal((await cli(dataDir, 'client', 'list')).out, 'No OIDC clients registered.\n');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('user show finds an account by username, e-mail or id without secrets; lock and unlock are audited with the reason', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  await seedDataDir(dataDir);
  const password = 'Zwei Katzen schlafen';
  try {
    const created = await cli(
      dataDir,
      ...['user', 'create', '--username', 'erika.m', '--email', 'erika@example.org', '--password', password],
      '--verified',
    );
    assert.equal(created.code, 0, created.err);
    const id = /\(([0-9a-f-]{36})\)/.exec(created.out)?.[1] ?? '';
    const byName = await cli(dataDir, 'user', 'show', '--account', 'Erika.M');
    assert.equal(byName.code, 0, byName.err);
    assert.match(byName.out, new RegExp(`^Account: +${id}$`, 'm'));
    assert.match(byName.out, /^Status: +active$/m);
    assert.match(byName.out, /^Level: +identity data basis, means up to niedrig$/m);
    assert.match(byName.out, /^Means: +password: level niedrig, set up \d{4}-/m);
    assert.match(byName.out, /^Last login: +never$/m);
    assert.doesNotMatch(byName.out, /argon2|Katzen/, 'no password hash, no password');
    assert.equal((await cli(dataDir, 'user', 'show', '--account', 'ERIKA@example.org')).out, byName.out);
    assert.equal((await cli(dataDir, 'user', 'show', '--account', id)).out, byName.out);

    const noReason = await cli(dataDir, 'user', 'lock', '--account', 'erika.m');
    assert.equal(noReason.code, 2);
    assert.match(noReason.err, /--reason is required/);
    const unknown = await cli(dataDir, 'user', 'lock', '--account', 'nobody', '--reason', 'x');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no account with the username, e-mail address or id nobody/);
    const locked = await cli(dataDir, 'user', 'lock', '--account', 'erika.m', '--reason', 'Vorgang 117');
    assert.equal(locked.code, 0, locked.err);
    assert.match(locked.out, /^Locked account erika\.m /);
    assert.match((await cli(dataDir, 'user', 'show', '--account', 'erika.m')).out, /^Status: +locked$/m);
    const unlocked = await cli(dataDir, 'user', 'unlock', '--account', id, '--reason', 'geklärt');
    assert.equal(unlocked.code, 0, unlocked.err);
    assert.match((await cli(dataDir, 'user', 'show', '--account', 'erika.m')).out, /^Status: +active$/m);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('with the embedded database in use, the CLI refuses without touching it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  const unlock = lockDataDir(dataDir);
  try {
    const result = cliProcess(dataDir, 'client', 'list');
    assert.equal(result.code, 2);
    assert.match(result.err, new RegExp(`in use by process ${process.pid}`));
    assert.match(result.err, /DATABASE_URL/);
  } finally {
    unlock();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('sp add registers stock metadata without an encryption key with a warning; encryption follows the metadata from then on', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  await seedDataDir(dataDir);
  const [signing, encryption] = await Promise.all([
    generateKeyWithCertificate('RSA-3072', 'signing', 'cli sp signing', new Date()),
    generateKeyWithCertificate('RSA-3072', 'encryption', 'cli sp encryption', new Date()),
  ]);
  const withKey = new SAML({
    issuer: 'https://f.example/saml',
    callbackUrl: 'https://f.example/saml/acs',
    logoutCallbackUrl: 'https://f.example/saml/slo',
    idpCert: signing.certificatePem,
    privateKey: signing.privateKeyPem,
    decryptionPvk: encryption.privateKeyPem,
  }).generateServiceProviderMetadata(encryption.certificatePem, signing.certificatePem);
  // As OneLogin's and SimpleSAMLphp's default-sp metadata are: no KeyDescriptor use="encryption".
  const withoutKey = withKey.replace(/<KeyDescriptor use="encryption">[\s\S]*?<\/KeyDescriptor>/, '');
  assert.notEqual(withoutKey, withKey);
  let served = withoutKey;
  const server = createServer(
    (_request, response) =>
      void response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(served),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/saml/metadata`;
  const listed = async () => (await cli(dataDir, 'sp', 'list')).out.trimEnd().split('\t')[2];
  try {
    const added = await cli(dataDir, 'sp', 'add', '--metadata', url);
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, /^Registered SAML service provider https:\/\/f\.example\/saml /);
    assert.equal(
      added.err,
      'Warning: the metadata has no encryption key: assertions to this service are signed but NOT encrypted until its metadata brings one (it is fetched again every 6 hours).\n',
    );
    assert.equal(await listed(), 'NOT encrypted (no key in metadata)');
    // Unchanged metadata without a key is no failure: the service was registered so.
    assert.equal((await cli(dataDir, 'sp', 'refresh')).code, 0);
    served = withKey;
    const refreshed = await cli(dataDir, 'sp', 'refresh');
    assert.equal(refreshed.code, 0, refreshed.err);
    assert.match(
      refreshed.out,
      /^Updated https:\/\/f\.example\/saml from its metadata URL: .*encryptionCertificates.* changed\.$/m,
    );
    assert.equal(await listed(), 'encrypted');
    // Now encrypted: metadata that drops the key again would send assertions in clear, so it is refused.
    served = withoutKey;
    const dropped = await cli(dataDir, 'sp', 'refresh');
    assert.equal(dropped.code, 1);
    assert.match(dropped.err, /kept the previous metadata: no encryption key/);
    assert.equal(await listed(), 'encrypted');
    // --no-encrypt stays the operator's explicit choice, key or not.
    served = withKey;
    const optedOut = await cli(dataDir, 'sp', 'add', '--metadata', url, '--no-encrypt');
    assert.equal(optedOut.code, 0, optedOut.err);
    assert.equal(optedOut.err, 'Warning: assertions to this service are NOT encrypted.\n');
    assert.equal(await listed(), 'NOT encrypted');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('sp add registers SAML service providers from a file or a URL, refuses what it cannot use, and sp refresh fetches again', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  await seedDataDir(dataDir);
  const [signing, encryption] = await Promise.all([
    generateKeyWithCertificate('RSA-3072', 'signing', 'cli sp signing', new Date()),
    generateKeyWithCertificate('RSA-3072', 'encryption', 'cli sp encryption', new Date()),
  ]);
  // Metadata as node-saml writes it: a signing and an encryption key, ACS and SLO over POST.
  const metadata = (entityId: string, acs: string) =>
    new SAML({
      issuer: entityId,
      callbackUrl: acs,
      logoutCallbackUrl: acs.replace(/acs.*$/, 'slo'),
      idpCert: signing.certificatePem,
      privateKey: signing.privateKeyPem,
      decryptionPvk: encryption.privateKeyPem,
    }).generateServiceProviderMetadata(encryption.certificatePem, signing.certificatePem);
  const file = (name: string, xml: string) => {
    const path = join(dataDir, name);
    writeFileSync(path, xml);
    return path;
  };
  let served = metadata('https://b.example/saml', 'https://b.example/saml/acs');
  const server = createServer(
    (_request, response) =>
      void response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(served),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/saml/metadata`;
  try {
    const fromFile = await cli(
      dataDir,
      'sp',
      'add',
      '--metadata',
      file('a.xml', metadata('https://a.example/saml', 'https://a.example/saml/acs')),
      '--name',
      'Wohngeld Online',
      '--attribute',
      'urn:oid:2.5.4.42',
      '--min-level',
      '2',
    );
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.equal(
      fromFile.out,
      'Registered SAML service provider https://a.example/saml (1 ACS, 1 SLO endpoints, requests must be signed).\n',
    );
    assert.equal(fromFile.err, '');
    const fromUrl = await cli(dataDir, 'sp', 'add', '--metadata', url);
    assert.equal(fromUrl.code, 0, fromUrl.err);
    assert.match(fromUrl.out, /^Registered SAML service provider https:\/\/b\.example\/saml \(1 ACS/);
    const listed = await cli(dataDir, 'sp', 'list');
    // Ordered by name in the database's collation; the lines themselves are what matters.
    assert.deepEqual(listed.out.trimEnd().split('\n').sort(), [
      'https://a.example/saml\tWohngeld Online\tencrypted\thttps://a.example/saml/acs',
      'https://b.example/saml\thttps://b.example/saml\tencrypted\thttps://b.example/saml/acs',
    ]);

    // Refresh: only the URL-registered one; a new ACS is taken over, another entityID is refused (exit 1, old metadata
    // kept).
    const unchanged = await cli(dataDir, 'sp', 'refresh');
    assert.equal(unchanged.code, 0, unchanged.err);
    assert.equal(unchanged.out, 'https://b.example/saml: metadata unchanged.\n');
    served = metadata('https://b.example/saml', 'https://b.example/saml/acs-2');
    const updated = await cli(dataDir, 'sp', 'refresh', '--id', 'https://b.example/saml');
    assert.equal(updated.code, 0, updated.err);
    assert.equal(updated.out, 'Updated https://b.example/saml from its metadata URL: acs changed.\n');
    served = metadata('https://c.example/saml', 'https://b.example/saml/acs-3');
    const moved = await cli(dataDir, 'sp', 'refresh');
    assert.equal(moved.code, 1);
    assert.match(
      moved.err,
      /^https:\/\/b\.example\/saml: kept the previous metadata: entity id changed \(https:\/\/c\.example\/saml\)\.$/m,
    );

    const withoutEncryptionKey = file(
      'no-enc.xml',
      metadata('https://d.example/saml', 'https://d.example/saml/acs').replace(
        /<KeyDescriptor use="encryption">[\s\S]*?<\/KeyDescriptor>/,
        '',
      ),
    );
    const entity = metadata('https://e.example/saml', 'https://e.example/saml/acs').replace(/^<\?xml[^>]*>/, '');
    const aggregate = file(
      'aggregate.xml',
      `<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">${entity}</EntitiesDescriptor>`,
    );
    for (const [args, message] of [
      [['sp', 'add', '--metadata', aggregate], /--metadata: not one entity/],
      [
        [
          'sp',
          'add',
          '--metadata',
          file('c.xml', metadata('https://c.example/saml', 'https://c.example/saml/acs')),
          '--attribute',
          'urn:oid:9.9.9',
        ],
        /--attribute: unknown attribute name urn:oid:9\.9\.9/,
      ],
      [['sp', 'add', '--metadata', 'http://sp.example/saml/metadata'], /--metadata: metadata URLs must use https/],
      [['sp', 'refresh', '--id', 'https://a.example/saml'], /registered from a file/],
    ] as const) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
      assert.match(result.err, message);
      assert.ok(!/\n\s+at /.test(result.err), 'a message, no stack');
    }
    const unencrypted = await cli(dataDir, 'sp', 'add', '--metadata', withoutEncryptionKey, '--no-encrypt');
    assert.equal(unencrypted.code, 0, unencrypted.err);
    assert.match(unencrypted.err, /^Warning: assertions to this service are NOT encrypted\.$/m);
    const listedAtEnd = (await cli(dataDir, 'sp', 'list')).out;
    assert.match(listedAtEnd, /^https:\/\/d\.example\/saml\thttps:\/\/d\.example\/saml\tNOT encrypted\t/m);
    assert.match(
      listedAtEnd,
      /^https:\/\/b\.example\/saml\t.*\thttps:\/\/b\.example\/saml\/acs-2$/m,
      'the refused refresh kept the previous ACS',
    );
    assert.doesNotMatch(listedAtEnd, /[ce]\.example/, 'nothing refused was registered');

    // sp update changes only what it is given; a new metadata file must be the same entity's.
    const changed = await cli(
      dataDir,
      ...['sp', 'update', '--id', 'https://a.example/saml', '--min-level', '3', '--no-attribute', '--no-encrypt'],
    );
    assert.equal(changed.code, 0, changed.err);
    assert.match(changed.err, /NOT encrypted/);
    const shown = (await cli(dataDir, 'sp', 'show', '--id', 'https://a.example/saml')).out;
    for (const line of [
      /^Name: +Wohngeld Online$/m,
      /^Minimum level: +substanziell$/m,
      /^Attributes: +\(as its metadata asks\)$/m,
      /^Encryption: +NOT encrypted \(1 certificate/m,
      /^Pseudonym sector: +a\.example$/m,
      /^ACS: +https:\/\/a\.example\/saml\/acs \(default\)$/m,
    ])
      assert.match(shown, line);
    const newAcs = file('a2.xml', metadata('https://a.example/saml', 'https://a.example/saml/acs-new'));
    const reloaded = await cli(
      dataDir,
      'sp',
      'update',
      '--id',
      'https://a.example/saml',
      '--metadata',
      newAcs,
      '--encrypt',
    );
    assert.equal(reloaded.code, 0, reloaded.err);
    const after = (await cli(dataDir, 'sp', 'show', '--id', 'https://a.example/saml')).out;
    assert.match(after, /^ACS: +https:\/\/a\.example\/saml\/acs-new/m);
    assert.match(after, /^Minimum level: +substanziell$/m, 'the level stays');
    assert.match(after, /^Encryption: +encrypted/m);
    const foreign = await cli(
      dataDir,
      'sp',
      'update',
      '--id',
      'https://a.example/saml',
      '--metadata',
      withoutEncryptionKey,
    );
    assert.equal(foreign.code, 2);
    assert.match(foreign.err, /not of https:\/\/a\.example\/saml/);
    const unconfirmed = await cli(dataDir, 'sp', 'remove', '--id', 'https://a.example/saml');
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.err, /Add --yes/);
    assert.equal((await cli(dataDir, 'sp', 'remove', '--id', 'https://a.example/saml', '--yes')).code, 0);
    assert.doesNotMatch((await cli(dataDir, 'sp', 'list')).out, /a\.example/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
