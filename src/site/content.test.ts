import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/error.ts';
import { loadConfig } from '../config/load.ts';
import { loadSiteContent } from './content.ts';
import { sitePages } from './pages.ts';
import { productionGaps } from './readiness.ts';

const operator = {
  SITE_NAME: 'Landkreis Beispiel',
  SITE_ADDRESS: 'Landratsamt; Am Markt 1; 99999 Beispielstadt',
  SITE_EMAIL: 'konto@landkreis.example',
};
const siteOf = (env: Record<string, string>) => loadConfig(env).config.site;
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'sk-site-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

test('the shipped examples: every page, the operator filled in, and their placeholders listed', () => {
  const content = loadSiteContent(siteOf({}), 'http://localhost:3000');
  for (const { slug } of sitePages) assert.ok(content.pages[slug].de.length > 200, slug);
  assert.match(content.pages.impressum.de, /Musterstraße 1<br>12345 Musterstadt/);
  assert.doesNotMatch(content.pages.impressum.de, /<!--|\{\{/, 'comments and tokens are gone');
  const files = new Set(content.placeholders.map((p) => p.file));
  for (const slug of ['impressum', 'datenschutz', 'barrierefreiheit', 'nutzungsbedingungen'])
    assert.ok(files.has(`${slug}.html (the shipped example)`), slug);
  assert.ok(!files.has('hilfe.html (the shipped example)'), 'help needs nothing of the operator but its address');
});

test("SITE_DIR: the operator's file replaces the example, tokens escaped; pages it lacks stay the examples", () => {
  const dir = folder({
    'impressum.html': '<h2 class="kern-heading-medium">Anbieter</h2>\n<p class="kern-body">{{name}}, {{ email }}</p>',
    'impressum.en.html': '<p class="kern-body">Provider: {{name}}</p>',
  });
  const content = loadSiteContent(siteOf({ ...operator, SITE_NAME: 'A & B', SITE_DIR: dir }), 'https://konto.example');
  assert.equal(content.pages.impressum.fromOperator, true);
  assert.match(content.pages.impressum.de, /<p class="kern-body">A &amp; B, konto@landkreis\.example<\/p>/);
  assert.equal(content.pages.impressum.en, '<p class="kern-body">Provider: A &amp; B</p>');
  assert.equal(content.pages.datenschutz.fromOperator, false);
  assert.equal(content.pages.datenschutz.en, undefined);
});

test('markup the Content-Security-Policy would block, unknown tokens and a missing folder stop the start', () => {
  const refused = [
    '<script>alert(1)</script>',
    '<p onclick="x()">Text</p>',
    '<p style="color:red">Text</p>',
    '<a href="javascript:void(0)">x</a>',
    '<form method="post"></form>',
    '<h1>Impressum</h1>',
    '<p>{{phone}}</p>',
  ];
  for (const markup of refused) {
    const site = siteOf({ SITE_DIR: folder({ 'impressum.html': markup }) });
    assert.throws(
      () => loadSiteContent(site, 'http://localhost:3000'),
      (error: unknown) =>
        error instanceof ConfigError && error.variable === 'SITE_DIR' && /impressum\.html/.test(error.message),
      markup,
    );
  }
  assert.throws(
    () => loadSiteContent(siteOf({ SITE_DIR: join(tmpdir(), 'sk-site-missing-folder') }), 'http://localhost:3000'),
    /not a folder/,
  );
});

test('production refuses the example operator and every page with a placeholder left', () => {
  const examples = siteOf({});
  const gaps = productionGaps(examples, loadSiteContent(examples, 'https://konto.example'));
  assert.ok(gaps.some((g) => g.includes('SITE_NAME')));
  assert.ok(gaps.some((g) => g.startsWith('impressum.html (the shipped example) still has')));

  const half = folder({ 'impressum.html': '<p>Vertreten durch [[Name]]</p>' });
  const site = siteOf({ ...operator, SITE_DIR: half });
  const halfGaps = productionGaps(site, loadSiteContent(site, 'https://konto.example'));
  assert.ok(halfGaps.includes('SITE_DIR/impressum.html still has 1 placeholder to replace: [[Name]]'));
  assert.ok(!halfGaps.some((g) => g.includes('SITE_NAME')));

  const complete = folder(
    Object.fromEntries(sitePages.map(({ slug }) => [`${slug}.html`, `<p class="kern-body">${slug} von {{name}}</p>`])),
  );
  const ready = siteOf({ ...operator, SITE_DIR: complete });
  assert.deepEqual(productionGaps(ready, loadSiteContent(ready, 'https://konto.example')), []);
});
