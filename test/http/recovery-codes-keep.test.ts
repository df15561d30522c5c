import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { generate } from 'otplib';
import { Browser, buildTestApp, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';

/**
 * Issue 15, point 8: the recovery codes, shown once when the app is set up, can be kept as a text file and on paper.
 * The forms carry the codes back; they are given back only while they are the session's account's unused codes.
 */
describe('keeping recovery codes: download and print', () => {
  let t: TestApp;
  let owner: Browser;
  let codes: string[] = [];
  let page = '';
  before(async () => {
    t = await buildTestApp();
    owner = new Browser(t.fastify);
    await registerVerified(t, owner, 'erika.m', 'erika@example.org');
    await login(owner, 'erika.m');
    const setup = await owner.get('/account/totp/setup');
    const secret = (/<code class="secret">([^<]+)<\/code>/.exec(setup.body)?.[1] ?? '').replace(/\s/g, '');
    t.clock.advance(30_000);
    const code = await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
    const done = await owner.post('/account/totp/setup', { _csrf: field(setup.body, '_csrf'), code });
    assert.equal(done.statusCode, 200);
    page = done.body;
    codes = [...page.matchAll(/<li><code>([A-Z0-9-]{11})<\/code><\/li>/g)].map((m) => m[1] ?? '');
    assert.equal(codes.length, 10);
  });
  after(() => t.close());

  test('the page of new codes offers both, as plain forms carrying the codes, with no script of its own', () => {
    assert.match(page, /<form method="post" action="\/recovery-codes\/download">/);
    assert.match(page, /<form method="post" action="\/recovery-codes\/print" target="_blank">/);
    assert.match(page, /Als Textdatei herunterladen/);
    assert.match(page, /Druckansicht öffnen \(neues Fenster\)/);
    assert.equal(field(page, 'codes'), codes.join(' '));
    assert.doesNotMatch(page, /<script>|onclick=/);
  });

  test('"Herunterladen": a text file as an attachment, never stored, with the codes, the username and the date', async () => {
    const response = await owner.post('/recovery-codes/download', {
      _csrf: field(page, '_csrf'),
      codes: codes.join(' '),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(
      response.headers['content-disposition'],
      'attachment; filename="servicekonto-wiederherstellungscodes.txt"',
    );
    assert.equal(response.headers['cache-control'], 'no-store');
    for (const [i, code] of codes.entries()) assert.ok(response.body.includes(`${i + 1}. ${code}\r\n`), code);
    assert.match(response.body, /Benutzername: erika\.m/);
    const today = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(
      t.clock.now(),
    );
    assert.match(response.body, new RegExp(`Erstellt am: ${today.replace(/\./g, '\\.')}`));
    assert.match(today, /^\d\d\.\d\d\.\d{4}$/, 'dates as 12.08.1964');
  });

  test('"Drucken": a print view with the codes, a print button from an external script, and a print stylesheet', async () => {
    const response = await owner.post('/recovery-codes/print', { _csrf: field(page, '_csrf'), codes: codes.join(' ') });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    for (const code of codes) assert.ok(response.body.includes(`<code>${code}</code>`), code);
    assert.match(response.body, /<script src="\/static\/print\.[0-9a-f]{10}\.js"><\/script>/);
    assert.match(response.body, /data-print hidden/, 'the button appears only with the script');
    assert.match(response.body, /Strg\+P/, 'without a script the page says how to print');
    const css = await readFile(new URL('../../src/web/static/app.css', import.meta.url), 'utf8');
    assert.match(css, /@media print \{[^}]*body > header[^}]*\.no-print/);
    const script = await owner.get('/static/print.js');
    assert.equal(script.statusCode, 200);
    assert.match(script.body, /window\.print\(\)/);
  });

  test('only the account’s own unused codes come back: not changed ones, used ones, or in another session', async () => {
    const _csrf = field(page, '_csrf');
    const changed = [...codes.slice(1), codes[0]?.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) ?? ''];
    assert.equal((await owner.post('/recovery-codes/download', { _csrf, codes: changed.join(' ') })).statusCode, 404);
    assert.equal((await owner.post('/recovery-codes/print', { _csrf, codes: '<script>x</script>' })).statusCode, 404);
    assert.equal((await owner.post('/recovery-codes/download', { _csrf, codes: '' })).statusCode, 404);

    const stranger = new Browser(t.fastify);
    await registerVerified(t, stranger, 'max.m', 'max@example.org');
    await login(stranger, 'max.m');
    const strangerCsrf = await stranger.csrf('/account');
    const theirs = await stranger.post('/recovery-codes/download', { _csrf: strangerCsrf, codes: codes.join(' ') });
    assert.equal(theirs.statusCode, 404);
    assert.doesNotMatch(theirs.body, new RegExp(codes[0] ?? 'x'));

    const anonymous = new Browser(t.fastify);
    const anonCsrf = await anonymous.csrf('/login/password');
    const refused = await anonymous.post('/recovery-codes/download', { _csrf: anonCsrf, codes: codes.join(' ') });
    assert.equal(refused.statusCode, 401);

    assert.equal(
      await t.app.methods.recovery.use(t.app.db, (await t.app.accounts.byLogin('erika.m'))?.id ?? '', codes[0] ?? ''),
      3,
    );
    const afterUse = await owner.post('/recovery-codes/download', { _csrf, codes: codes.join(' ') });
    assert.equal(afterUse.statusCode, 404, 'once one is used, the sheet of ten is out of date');
  });
});
