// An e-mail address belongs to an account only once confirmed (issue 13, point 9): a card reading cannot
// probe which addresses have an account, and a card registered with someone else's address keeps
// nobody from registering, confirming or resetting with it. Expiry: test/http/eid-account.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { TestCardId } from '../../src/dev/eid-simulator/cards.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import {
  Browser,
  buildTestApp,
  confirmMailLink,
  goodPassword,
  linkFrom,
  login,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';

const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';

/** Reads `card` at /register/eid and completes the form with `email`. */
async function cardRegistration(
  t: TestApp,
  card: TestCardId,
  email: string,
  username = '',
): Promise<{ browser: Browser; done: LightMyRequestResponse }> {
  const browser = new Browser(t.fastify);
  const page = await readCardAt(browser, '/register/eid', card);
  assert.equal(page.statusCode, 200, page.body);
  const done = await browser.post('/register/eid/complete', {
    _csrf: field(page.body, '_csrf'),
    transaction: field(page.body, 'transaction'),
    ref: field(page.body, 'ref'),
    email,
    username,
    terms: 'yes',
  });
  return { browser, done };
}

async function passwordRegistration(t: TestApp, username: string, email: string): Promise<LightMyRequestResponse> {
  const browser = new Browser(t.fastify);
  const _csrf = await browser.csrf('/register');
  return browser.post('/register', {
    _csrf,
    username,
    email,
    password: goodPassword,
    password2: goodPassword,
    terms: 'yes',
  });
}

test('a card registration answers alike for a taken and a free address; only the owner of the taken one hears of it', async () => {
  const t = await buildTestApp();
  await registerVerified(t, new Browser(t.fastify), 'owner.o', 'owner@example.org');
  const earlier = t.mails.length;
  const taken = await cardRegistration(t, 'erika', 'owner@example.org', 'card.one');
  const free = await cardRegistration(t, 'permit', 'free@example.org', 'card.two');
  assert.equal(taken.done.statusCode, 303, taken.done.body);
  assert.equal(free.done.statusCode, 303, free.done.body);
  assert.equal(taken.done.headers.location, free.done.headers.location);
  assert.equal(taken.done.body, free.done.body);
  assert.equal(
    (await taken.browser.get('/account')).statusCode,
    200,
    'the card holder is in their new account either way',
  );

  await t.app.jobs.runDue();
  const toOwner = t.mails.slice(earlier).filter((m) => m.to === 'owner@example.org');
  assert.equal(toOwner.length, 1);
  assert.equal(toOwner.at(-1)?.subject, 'Sie haben schon ein Servicekonto', 'the owner is told, with a way back in');
  assert.match(linkFrom(toOwner.at(-1)), /^\/reset-password\?token=/);
  assert.ok(
    !toOwner.some((m) => /verify-email/.test(m.text)),
    "never a link confirming the card account with the owner's address",
  );
  assert.match(linkFrom(t.mails.findLast((m) => m.to === 'free@example.org')), /^\/verify-email\?token=/);
  assert.equal(
    (await t.app.accounts.byEmail('owner@example.org'))?.username,
    'owner.o',
    'the address stays with its owner',
  );
  await t.close();
});

test("a card registered with a victim's address blocks neither the victim's registration nor the reset; the first to confirm gets the address", async () => {
  const t = await buildTestApp();
  const squat = await cardRegistration(t, 'erika', 'victim@example.org', 'squatter');
  assert.equal(squat.done.statusCode, 303, squat.done.body);
  await t.app.jobs.runDue();
  const squatterLink = linkFrom(t.mails.findLast((m) => m.to === 'victim@example.org'));

  // The victim registers with a password: a confirmation link of their own, not "you already have an account".
  assert.equal((await passwordRegistration(t, 'victim.v', 'victim@example.org')).statusCode, 303);
  await t.app.jobs.runDue();
  const mail = t.mails.findLast((m) => m.to === 'victim@example.org');
  assert.equal(mail?.subject, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
  assert.match(mail?.text ?? '', /victim\.v/);
  const browser = new Browser(t.fastify);
  assert.equal((await confirmMailLink(browser, linkFrom(mail))).statusCode, 303, 'the victim confirms');
  assert.equal((await login(browser, 'victim@example.org')).statusCode, 303, 'and logs in with the address');

  // The squatter's link can no longer take the address; nothing says why.
  assert.equal((await new Browser(t.fastify).get(squatterLink)).statusCode, 400);
  const squatterToken = new URL(squatterLink, 'http://localhost:3000').searchParams.get('token') ?? '';
  assert.equal((await new Browser(t.fastify).post('/verify-email', { token: squatterToken })).statusCode, 400);
  assert.equal((await t.app.accounts.byLogin('squatter'))?.emailVerifiedAt, null);
  assert.equal((await t.app.accounts.byEmail('victim@example.org'))?.username, 'victim.v');

  // A new confirmation link for the address goes to nobody: it belongs to the victim now.
  const before = t.mails.length;
  const resend = new Browser(t.fastify);
  assert.equal(
    (await resend.post('/register/resend', { _csrf: await resend.csrf('/register/sent'), email: 'victim@example.org' }))
      .statusCode,
    303,
  );
  await t.app.jobs.runDue();
  assert.equal(t.mails.length, before);

  // The reset by mail reaches the victim's account.
  const forgot = new Browser(t.fastify);
  assert.equal(
    (
      await forgot.post('/forgot-password', {
        _csrf: await forgot.csrf('/forgot-password'),
        identifier: 'victim@example.org',
      })
    ).statusCode,
    200,
  );
  await t.app.jobs.runDue();
  const reset = t.mails.findLast((m) => m.to === 'victim@example.org');
  assert.match(reset?.text ?? '', /victim\.v/);
  assert.match(linkFrom(reset), /^\/reset-password\?token=/);
  await t.close();
});

test('two card registrations may name one address until it is confirmed', async () => {
  const t = await buildTestApp();
  const first = await cardRegistration(t, 'erika', 'shared@example.org', 'first.card');
  const second = await cardRegistration(t, 'permit', 'shared@example.org', 'second.card');
  assert.equal(first.done.statusCode, 303, first.done.body);
  assert.equal(second.done.statusCode, 303, second.done.body);
  await t.app.jobs.runDue();
  const [firstLink, secondLink] = t.mails.filter((m) => m.to === 'shared@example.org').map((m) => linkFrom(m));
  assert.ok(firstLink && secondLink);
  assert.equal(
    (await confirmMailLink(new Browser(t.fastify), secondLink)).statusCode,
    303,
    'the second confirms first',
  );
  assert.equal((await new Browser(t.fastify).get(firstLink)).statusCode, 400);
  const firstToken = new URL(firstLink, 'http://localhost:3000').searchParams.get('token') ?? '';
  assert.equal((await new Browser(t.fastify).post('/verify-email', { token: firstToken })).statusCode, 400);
  assert.equal((await t.app.accounts.byEmail('shared@example.org'))?.username, 'second.card');
  await t.close();
});
