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
  const ids = [...readme.matchAll(/servicekonto client add --id (\S+)/g)].map((m) => m[1]);
  assert.ok(ids.length > 0, 'the README shows a client add');
  for (const id of ids) assert.notEqual(id, exampleClientId);
  const discovered = [...readme.matchAll(/client\.discovery\([^,]+, '([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(discovered, [ids[0]], 'the openid-client example uses the client the README registered');
});
