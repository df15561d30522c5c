import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  Browser,
  buildTestApp,
  confirmMailLink,
  followRedirects,
  goodPassword,
  linkFrom,
  type TestApp,
} from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';

/**
 * After the confirmation, the citizen goes back to the service they came
 * from, whichever browser opens the link (issue 15, point 1): into the
 * waiting login where this browser holds it, else a fresh login started by
 * the service (OIDC Core §4 `initiate_login_uri`), else our login.
 */
describe('the way back to the service after confirming', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    const client = (id: string, extra: Record<string, unknown>) =>
      t.app.services.upsertOidc(
        {
          client_id: id,
          client_secret: 'a-client-secret-of-sufficient-length-123',
          redirect_uris: [redirectUri],
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          ...extra,
        },
        `Dienst ${id}`,
        'Stadt Musterstadt',
      );
    await client('starts', { initiate_login_uri: 'https://service.example/login?from=sk' });
    await client('plain', {});
  });
  after(() => t.close());

  /** Browser A: the service's login, then the registration from it; returns A and the mailed link. */
  async function registerAt(clientId: string, username: string): Promise<{ desktop: Browser; link: string }> {
    const desktop = new Browser(t.fastify);
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const login = await followRedirects(desktop, `/oidc/auth?${query}`);
    assert.match(login.finalUrl, /^\/interaction\/[A-Za-z0-9_-]+$/);
    const form = await desktop.get(`/register?return=${encodeURIComponent(login.finalUrl)}`);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const email = `${username}@example.org`;
    const posted = await desktop.post('/register', {
      _csrf,
      return: login.finalUrl,
      username,
      email,
      password: goodPassword,
      password2: goodPassword,
      terms: 'yes',
    });
    assert.equal(posted.statusCode, 303);
    await t.app.jobs.runDue();
    return { desktop, link: linkFrom(t.mails.findLast((m) => m.to === email)) };
  }

  test('in the browser that registered: back into the waiting login, which says the account is active', async () => {
    const { desktop, link } = await registerAt('plain', 'same.browser');
    const confirmed = await confirmMailLink(desktop, link);
    assert.equal(confirmed.statusCode, 303);
    const page = await followRedirects(desktop, String(confirmed.headers.location));
    assert.match(page.finalUrl, /^\/interaction\/[A-Za-z0-9_-]+$/);
    assert.match(page.body, /Anmeldung für „Dienst plain“/);
    assert.match(page.body, /Ihr Konto ist aktiv. Melden Sie sich jetzt an./);
  });

  test('in another browser, for a service with a login start: a fresh login at the service, with iss', async () => {
    const { link } = await registerAt('starts', 'phone.starts');
    const phone = new Browser(t.fastify);
    const confirmed = await confirmMailLink(phone, link);
    const away = await followRedirects(phone, String(confirmed.headers.location));
    const target = new URL(away.finalUrl);
    assert.equal(`${target.origin}${target.pathname}`, 'https://service.example/login');
    assert.equal(target.searchParams.get('from'), 'sk');
    assert.equal(target.searchParams.get('iss'), 'http://localhost:3000');
    // The service's fresh request then lands on its login here, which says the account is active.
    assert.ok(phone.cookies.has('sk_activated'));
  });

  test('in another browser, for a service without one: our login with the message, never an expired login', async () => {
    const { link } = await registerAt('plain', 'phone.plain');
    const phone = new Browser(t.fastify);
    const confirmed = await confirmMailLink(phone, link);
    const page = await followRedirects(phone, String(confirmed.headers.location));
    assert.equal(page.finalUrl, '/login');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ihr Konto ist aktiv. Melden Sie sich jetzt an./);
    assert.doesNotMatch(page.body, /zu lange gedauert/);
  });

  test('the waiting login has expired meanwhile: the same fresh start, not "zu lange gedauert"', async () => {
    const { desktop, link } = await registerAt('starts', 'late.desktop');
    t.clock.advance(2 * 24 * 3600 * 1000 - 60_000);
    const confirmed = await confirmMailLink(desktop, link);
    const away = await followRedirects(desktop, String(confirmed.headers.location));
    assert.match(away.finalUrl, /^https:\/\/service\.example\/login\?/);
  });
});
