import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sitePages } from '../../src/site/pages.ts';
import { childEnv, nodeBinary, repoRoot } from '../e2e/helpers/server.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

const get = (t: TestApp, url: string, headers: Record<string, string> = {}) =>
  t.fastify.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

const titles: Record<string, RegExp> = {
  impressum: /<h1 class="kern-heading-x-large">Impressum<\/h1>/,
  datenschutz: /<h1 class="kern-heading-x-large">Datenschutzerklärung<\/h1>/,
  nutzungsbedingungen: /<h1 class="kern-heading-x-large">Nutzungsbedingungen<\/h1>/,
  barrierefreiheit: /<h1 class="kern-heading-x-large">Erklärung zur Barrierefreiheit<\/h1>/,
  hilfe: /<h1 class="kern-heading-x-large">Hilfe<\/h1>/,
  'leichte-sprache': /<h1 class="kern-heading-x-large">Leichte Sprache<\/h1>/,
  gebaerdensprache: /<h1 class="kern-heading-x-large">Deutsche Gebärdensprache<\/h1>/,
};

describe('legal and help pages with the shipped examples', () => {
  let t: TestApp;
  before(async () => (t = await buildTestApp()));
  after(() => t.close());

  test('each page answers with its title and its content, and every page links all of them in the footer', async () => {
    for (const { slug } of sitePages) {
      const page = await get(t, `/${slug}`);
      assert.equal(page.statusCode, 200, slug);
      assert.match(page.body, titles[slug] ?? /never/, slug);
      assert.match(page.body, /<div class="site-page">\n<(h2|p) class="kern-/, `${slug}: the page's own content`);
    }
    for (const url of ['/', '/login', '/impressum']) {
      const footer = (await get(t, url)).body.split('<footer')[1] ?? '';
      for (const { slug } of sitePages)
        assert.ok(footer.includes(`<a class="kern-link" href="/${slug}">`), `${url} → ${slug}`);
      assert.match(
        footer,
        /Ein Angebot von Musterland<br>Ministerium für Digitales des Landes Musterland, Musterstraße 1/,
      );
    }
  });

  test("the pages' own links lead to pages that exist", async () => {
    const checked = new Set<string>();
    for (const { slug } of sitePages) {
      const main = (await get(t, `/${slug}`)).body.split('<main')[1]?.split('</main>')[0] ?? '';
      for (const [, href] of main.matchAll(/href="(\/[^"]*)"/g)) {
        if (href === undefined || checked.has(href)) continue;
        checked.add(href);
        assert.equal((await get(t, href)).statusCode, 200, `${slug} links ${href}`);
      }
    }
    assert.ok(checked.has('/forgot-password') && checked.has('/means/lost') && checked.has('/barrierefreiheit'));
  });

  test('the accessibility statement has what BITV 2.0 § 12a asks: status, barriers, date, feedback and enforcement', async () => {
    const body = (await get(t, '/barrierefreiheit')).body;
    for (const heading of [
      'Stand der Vereinbarkeit mit den Anforderungen',
      'Nicht barrierefreie Inhalte',
      'Erstellung dieser Erklärung',
      'Barrieren melden: Kontakt zu den Feedback-Ansprechpartnern',
      'Durchsetzungsverfahren und Schlichtungsstelle',
    ])
      assert.ok(body.includes(`<h2 class="kern-heading-medium">${heading}</h2>`), heading);
    assert.match(body, /href="mailto:servicekonto@musterland\.example\?subject=Barriere%20im%20Servicekonto"/);
  });

  test('the KERN Kopfzeile shows the flag and names the operator; the title too', async () => {
    const body = (await get(t, '/')).body;
    assert.match(
      body,
      /<span class="kern-kopfzeile__flagge" aria-hidden="true"><svg [^>]*viewBox="0 0 24 16"[^>]*><path fill="#000"[^>]*\/><path fill="red"[^>]*\/><path fill="#FACA2C"[^>]*\/><\/svg><\/span><span class="kern-kopfzeile__label">Offizielle Website – Musterland<\/span>/,
    );
    assert.match(body, /<title>Willkommen beim Servicekonto – Servicekonto Musterland<\/title>/);
    assert.doesNotMatch(body, /site\/theme\.css/, "no stylesheet of the operator's colour without one");
  });

  test("oidc-provider's own pages carry the operator's name and footer too", async () => {
    const error = await get(t, '/oidc/auth');
    assert.equal(error.statusCode, 400);
    assert.match(error.body, /<title>[^<]+ – Servicekonto Musterland<\/title>/);
    assert.match(error.body, /Ein Angebot von Musterland/);
  });

  test('in English: the help page is English, a German-only page says so and marks its language', async () => {
    const en = { 'accept-language': 'en' };
    const help = (await get(t, '/hilfe', en)).body;
    assert.match(help, /<h2 class="kern-heading-medium">I forgot my password<\/h2>/);
    assert.doesNotMatch(help, /German only/);
    const imprint = (await get(t, '/impressum', en)).body;
    assert.match(imprint, /<h1 class="kern-heading-x-large">Legal notice \(Impressum\)<\/h1>/);
    assert.match(imprint, /This page is available in German only\./);
    assert.match(imprint, /<div class="site-page" lang="de">\n<h2 class="kern-heading-medium">Anbieter<\/h2>/);
  });

  test('without a video, the sign-language page says the operator provides it here', async () => {
    const body = (await get(t, '/gebaerdensprache')).body;
    assert.doesNotMatch(body, /<video/);
    assert.match(body, /Das Video in Deutscher Gebärdensprache stellt Musterland hier bereit\./);
  });

  test('/site/ serves only the named media files, never the pages or anything else', async () => {
    for (const url of ['/site/impressum.html', '/site/logo.svg', '/site/..%2fcontent.ts', '/site/'])
      assert.equal((await get(t, url)).statusCode, 404, url);
  });
});

describe("the operator's own folder, name, logo, video and colour", () => {
  let t: TestApp;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-site-'));
    writeFileSync(
      join(dir, 'impressum.html'),
      '<p class="kern-body">Herausgeber: {{name}}, vertreten durch die Landrätin.</p>',
    );
    writeFileSync(
      join(dir, 'logo.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
    );
    writeFileSync(join(dir, 'gebaerdensprache.mp4'), Buffer.alloc(64));
    writeFileSync(join(dir, 'gebaerdensprache.vtt'), 'WEBVTT\n\n00:00.000 --> 00:02.000\nWillkommen\n');
    writeFileSync(join(dir, 'notes.txt'), 'private');
    t = await buildTestApp({
      SITE_DIR: dir,
      SITE_NAME: 'Landkreis Beispiel',
      SITE_ADDRESS: 'Landratsamt; Am Markt 1; 99999 Beispielstadt',
      SITE_EMAIL: 'konto@landkreis.example',
      SITE_COLOR: '#1b5e20',
    });
  });
  after(() => t.close());

  test("the operator's Impressum replaces the example; pages the folder lacks stay the examples with its name", async () => {
    const imprint = (await get(t, '/impressum')).body;
    assert.match(imprint, /Herausgeber: Landkreis Beispiel, vertreten durch die Landrätin\./);
    assert.doesNotMatch(imprint, /Musterland|\[\[/);
    assert.match((await get(t, '/leichte-sprache')).body, /Das ist eine Internet-Seite von Landkreis Beispiel\./);
  });

  test('header, title and footer name the operator, with its logo and contact', async () => {
    const body = (await get(t, '/')).body;
    assert.match(
      body,
      /<a class="site-brand kern-link" href="\/"><img class="site-brand__logo" src="\/site\/logo\.svg" alt="" height="40"><span>Servicekonto<\/span><span class="site-brand__operator">Landkreis Beispiel<\/span><\/a>/,
    );
    assert.match(body, /<title>[^<]+ – Servicekonto Landkreis Beispiel<\/title>/);
    assert.match(
      body,
      /Ein Angebot von Landkreis Beispiel<br>Landratsamt, Am Markt 1, 99999 Beispielstadt<br><a class="kern-link" href="mailto:konto@landkreis\.example">/,
    );
    const logo = await get(t, '/site/logo.svg');
    assert.equal(logo.statusCode, 200);
    assert.match(String(logo.headers['content-type']), /^image\/svg\+xml/);
    assert.equal((await get(t, '/site/notes.txt')).statusCode, 404, 'other files of the folder stay private');
    assert.equal((await get(t, '/site/impressum.html')).statusCode, 404);
  });

  test('the colour reaches KERN through its theme variable, in a stylesheet of our own origin', async () => {
    assert.match((await get(t, '/hilfe')).body, /<link rel="stylesheet" href="\/site\/theme\.css\?v=1b5e20">/);
    const css = await get(t, '/site/theme.css?v=1b5e20');
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.match(
      css.body,
      /@media \(prefers-color-scheme: light\) \{\n {2}:root \{\n {4}--kern-color-action-default: #1b5e20;/,
    );
  });

  test('the sign-language video plays from our origin, with its captions', async () => {
    const body = (await get(t, '/gebaerdensprache')).body;
    assert.match(body, /<source src="\/site\/gebaerdensprache\.mp4" type="video\/mp4">/);
    assert.match(
      body,
      /<track kind="captions" src="\/site\/gebaerdensprache\.vtt" srclang="de" label="Deutsch" default>/,
    );
    assert.doesNotMatch(body, /gebaerdensprache\.webm/, 'only the files the folder has');
    const video = await get(t, '/site/gebaerdensprache.mp4', { range: 'bytes=0-15' });
    assert.equal(video.statusCode, 206, 'ranges, which phones need to play a video');
    assert.match(String((await get(t, '/site/gebaerdensprache.vtt')).headers['content-type']), /^text\/vtt/);
  });
});

test('a production start with the example Impressum is refused with exit code 2, naming what to replace', async () => {
  const child = spawn(nodeBinary, ['src/main.ts'], {
    cwd: repoRoot,
    env: childEnv({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://konto.example',
      ALLOW_EMBEDDED_DB: 'true',
      SMTP_URL: 'smtp://127.0.0.1:1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sk-site-data-')),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /not ready for production/);
  assert.match(stderr, /SITE_NAME, SITE_ADDRESS and SITE_EMAIL are required in production/);
  assert.match(
    stderr,
    /impressum\.html \(the shipped example\) still has \d+ placeholders to replace: \[\[Telefonnummer\]\]/,
  );
});
