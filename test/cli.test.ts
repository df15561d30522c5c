import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../src/platform/db/data-dir-lock.ts';

const bin = new URL('../bin/servicekonto.js', import.meta.url).pathname;

function cli(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('the CLI registers clients and accounts and explains bad arguments', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  try {
    const added = cli(dataDir, 'client', 'add', '--id', 'fees', '--redirect-uri', 'http://localhost:3001/callback', '--name', 'Elternbeiträge', '--min-level', '2');
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, /public, PKCE required/);
    const listed = cli(dataDir, 'client', 'list');
    assert.match(listed.out, /^fees\tElternbeiträge\tpublic\thttp:\/\/localhost:3001\/callback$/m);

    const user = cli(dataDir, 'user', 'create', '--username', 'erika.m', '--email', 'erika@example.org', '--password', 'Zwei Katzen schlafen', '--verified');
    assert.equal(user.code, 0, user.err);
    assert.match(user.out, /e-mail verified/);
    const twice = cli(dataDir, 'user', 'create', '--username', 'erika.m', '--email', 'other@example.org', '--password', 'Zwei Katzen schlafen');
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
      const result = cli(dataDir, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
      assert.ok(result.err.length > 0 && !/\n\s+at /.test(result.err), 'a message, no stack');
    }
    const verified = cli(dataDir, 'user', 'verify', '--username', 'erika.m', '--given-name', 'Erika', '--family-name', 'Mustermann', '--birthdate', '1964-08-12', '--address', 'Heidestraße 17, 51147 Köln', '--document', 'idcard', '--clerk', 'Sachbearbeiterin Meier', '--office', 'Bürgerbüro Mitte');
    assert.equal(verified.code, 0, verified.err);
    assert.match(verified.out, /level hoch/);
    for (const args of [
      ['--username', 'erika.m', '--given-name', 'E', '--family-name', 'M', '--birthdate', '1964-08-12', '--document', 'library-card', '--clerk', 'X'],
      ['--username', 'erika.m', '--given-name', 'E', '--family-name', 'M', '--birthdate', '1964-02-30', '--document', 'idcard', '--clerk', 'X'],
      ['--username', 'nobody', '--given-name', 'E', '--family-name', 'M', '--birthdate', '1964-08-12', '--document', 'idcard', '--clerk', 'X'],
      ['--username', 'erika.m', '--given-name', 'E', '--family-name', 'M', '--birthdate', '1964-08-12', '--document', 'idcard', '--clerk', 'X', '--address', 'no postal code'],
    ]) {
      assert.equal(cli(dataDir, 'user', 'verify', ...args).code, 2, args.join(' '));
    }
    const rotated = cli(dataDir, 'keys', 'rotate');
    assert.equal(rotated.code, 0, rotated.err);
    assert.equal(cli(dataDir, 'migrate').code, 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('with the embedded database in use, the CLI refuses without touching it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
  const unlock = lockDataDir(dataDir);
  try {
    const result = cli(dataDir, 'client', 'list');
    assert.equal(result.code, 2);
    assert.match(result.err, new RegExp(`in use by process ${process.pid}`));
    assert.match(result.err, /DATABASE_URL/);
  } finally {
    unlock();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
