// The XML libraries behind SAML resolve only at versions without a known
// advisory (issue 5: "pin XML libraries"), and one DOM implementation serves
// verifying, reading and building, so no parser differential can arise
// between what is verified and what is read (ruby-saml CVE-2025-25291).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

function resolved(name: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([path, entry]) => {
      assert.ok(entry.version, `${path} has a version`);
      return entry.version;
    });
}

function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => (v.split('-')[0] ?? '').split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    const x = a?.[i] ?? 0;
    const y = b?.[i] ?? 0;
    if (x !== y) return x > y;
  }
  // A prerelease of the minimum is older than the minimum.
  return !version.includes('-');
}

test('one @xmldom/xmldom copy, at 0.8.15 or later (GHSA-965w-775f-mr7g and the other 0.8.15 fixes)', () => {
  const versions = resolved('@xmldom/xmldom');
  assert.equal(versions.length, 1, `copies: ${versions.join(', ')}`);
  assert.ok(
    versions.every((v) => atLeast(v, '0.8.15')),
    versions.join(', '),
  );
});

test('xml-crypto at 6.1.2 or later (CVE-2025-29774/29775, getSignedReferences)', () => {
  const versions = resolved('xml-crypto');
  assert.ok(versions.length >= 1);
  assert.ok(
    versions.every((v) => atLeast(v, '6.1.2')),
    versions.join(', '),
  );
});

test('xml-encryption at 6.0.0 or later (rsa-oaep-mgf1p with MGF1-SHA1 as specified)', () => {
  const versions = resolved('xml-encryption');
  assert.ok(versions.length >= 1);
  assert.ok(
    versions.every((v) => atLeast(v, '6.0.0')),
    versions.join(', '),
  );
});

test('the XML libraries are pinned to exact versions in package.json', () => {
  for (const name of ['xml-crypto', 'xml-encryption', '@xmldom/xmldom', 'libxml2-wasm']) {
    assert.match(manifest.dependencies[name] ?? '', /^\d+\.\d+\.\d+$/, name);
  }
});

test('the version comparison itself', () => {
  assert.ok(atLeast('0.8.15', '0.8.15'));
  assert.ok(atLeast('0.9.0', '0.8.15'));
  assert.ok(!atLeast('0.8.14', '0.8.15'));
  assert.ok(!atLeast('0.8.15-beta.1', '0.8.15'));
  assert.ok(!atLeast('5.9.9', '6.0.0'));
});
