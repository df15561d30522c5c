import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './load.ts';
import { contrastRatio } from './contrast.ts';

const refusedVariable = (env: Record<string, string | undefined>) => (error: unknown) =>
  error instanceof ConfigError && error.variable === Object.keys(env)[0];

test('contrast ratios as WCAG 2.1 computes them', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  assert.equal(contrastRatio('#ffffff', '#ffffff'), 1);
  // WebAIM's contrast checker: #767676 on white is 4.54:1, the lightest grey that passes AA.
  assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
});

test("SITE_COLOR: a #rrggbb with AA contrast on KERN's light backgrounds, nothing else", () => {
  assert.equal(loadConfig({}).config.site.primaryColor, undefined, "unset keeps KERN's dark blue");
  assert.equal(loadConfig({ SITE_COLOR: '#004B76' }).config.site.primaryColor, '#004b76');
  for (const bad of ['blue', '#123', 'rgb(0,0,0)', '#00000g', '#004b76; color: red']) {
    const env = { SITE_COLOR: bad };
    assert.throws(() => loadConfig(env), refusedVariable(env), bad);
  }
  // Light blue and KERN's yellow: white button text on them and links in them would be unreadable.
  for (const weak of ['#7fb2e5', '#faca2c', '#ffffff', '#767676']) {
    const env = { SITE_COLOR: weak };
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => refusedVariable(env)(error) && /contrast/.test(String(error)),
      weak,
    );
  }
});

test('SITE_NAME, SITE_ADDRESS and SITE_EMAIL: the operator, with the example and a warning when unset', () => {
  const example = loadConfig({});
  assert.equal(example.config.site.name, 'Musterland');
  assert.equal(example.config.site.exampleIdentity, true);
  assert.ok(example.warnings.some((w) => w.includes('SITE_NAME')));
  assert.ok(example.warnings.some((w) => w.includes('SITE_DIR')));
  const { config } = loadConfig({
    SITE_NAME: 'Freie Hansestadt Bremen',
    SITE_ADDRESS: 'Senatorin für Finanzen; Rudolf-Hilferding-Platz 1 ;28195 Bremen',
    SITE_EMAIL: 'servicekonto@bremen.example',
    SITE_DIR: '/etc/servicekonto/site',
  });
  assert.equal(config.site.name, 'Freie Hansestadt Bremen');
  assert.deepEqual(config.site.address, ['Senatorin für Finanzen', 'Rudolf-Hilferding-Platz 1', '28195 Bremen']);
  assert.equal(config.site.email, 'servicekonto@bremen.example');
  assert.equal(config.site.dir, '/etc/servicekonto/site');
  assert.equal(config.site.exampleIdentity, false);
  for (const env of [{ SITE_EMAIL: 'not a mail' }, { SITE_NAME: 'x'.repeat(101) }, { SITE_ADDRESS: 'a\nb' }])
    assert.throws(() => loadConfig(env), refusedVariable(env), JSON.stringify(env));
});
