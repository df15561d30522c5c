import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settings } from '../src/config/schema.ts';
import { commands } from '../src/cli/commands.ts';
import { exampleClientId } from '../src/dev/example-service.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README documents every configuration variable with its default', () => {
  for (const s of settings)
    assert.ok(readme.includes(`| \`${s.env}\` | ${s.default} | ${s.doc} |`), `README row for ${s.env}`);
});

test('the README documents every CLI command', () => {
  // Table cells escape the pipe character.
  for (const c of Object.values(commands))
    assert.ok(readme.includes(c.usage.replaceAll('|', '\\|')), `README entry for ${c.usage}`);
});

test('the README shows the two set-up commands', () => {
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /npm test/);
});

test("the README's example client ids are not the demo service's, which a reader's client add would replace", () => {
  const example = readFileSync(new URL('../examples/elternbeitraege/README.md', import.meta.url), 'utf8');
  const exampleIds = [...example.matchAll(/servicekonto client add --id (\S+)/g)].map((m) => m[1]);
  assert.ok(exampleIds.length > 0, "the example's integration guide shows a client add");
  for (const id of exampleIds) assert.notEqual(id, exampleClientId);
  const ids = [...readme.matchAll(/servicekonto client add --id (\S+)/g)].map((m) => m[1]);
  assert.ok(ids.length > 0, 'the README shows a client add');
  for (const id of ids) assert.notEqual(id, exampleClientId);
  const discovered = [...readme.matchAll(/client\.discovery\([^,]+, '([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(discovered, [ids[0]], 'the openid-client example uses the client the README registered');
});

test('the deployment guide is linked and names only settings and commands that exist', () => {
  assert.match(readme, /\[docs\/deployment\.md\]\(docs\/deployment\.md\)/);
  const guide = readFileSync(new URL('../docs/deployment.md', import.meta.url), 'utf8');
  // Besides our settings: the Node and C library variables the server sets for itself (platform/runtime-settings.ts).
  const runtime = ['runtime-settings.ts', 'compile-cache.ts']
    .map((file) => readFileSync(new URL(`../src/platform/${file}`, import.meta.url), 'utf8'))
    .join('\n');
  const known = new Set([
    ...settings.map((s) => s.env),
    ...[...runtime.matchAll(/\b(MALLOC_[A-Z_]+|NODE_[A-Z_]+)\b/g)].map((m) => m[1] ?? ''),
  ]);
  const named = [...guide.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)[=`]/g)].map((m) => m[1] ?? '');
  assert.ok(named.length > 10, 'the guide names the settings it relies on');
  for (const env of named) assert.ok(known.has(env), `${env} is a setting`);
  for (const [, command] of guide.matchAll(/`servicekonto ([a-z]+(?: [a-z]+)?)/g))
    assert.ok(commands[command ?? ''], `servicekonto ${command} is a command`);
});
