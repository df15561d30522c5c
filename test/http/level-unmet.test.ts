// Issue 15, point 6: a level the account cannot reach is explained here, with the ways there, instead of
// bouncing the citizen to the service; "Zurück zum Dienst" then answers as before (OIDC
// unmet_authentication_requirements, SAML NoAuthnContext).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { readCardAt } from '../helpers/eid-card.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import {
  Browser,
  buildTestApp,
  followRedirects,
  login,
  registerVerified,
  type FollowedPage,
  type TestApp,
} from '../helpers/test-app.ts';

const redirectUri = 'https://service.example/callback';
const acr = { substantial: 'http://eidas.europa.eu/LoA/substantial', high: 'http://eidas.europa.eu/LoA/high' };
const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';
/** The hrefs of the offered ways: the links in the list under "So erreichen Sie das Vertrauensniveau". */
const waysOf = (body: string) =>
  [...(/<ul class="kern-list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );

describe('a level the account cannot reach', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await t.app.services.upsertOidc(
      {
        client_id: 'tax',
        client_secret: 'a-client-secret-of-sufficient-length-123',
        client_name: 'Steuer',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      'Gewerbesteuer Online',
    );
  });
  after(() => t.close());

  /** A fresh account with only what the citizen typed in, logged in in a new browser. */
  async function typedOnly(username: string): Promise<{ browser: Browser; accountId: string }> {
    const browser = new Browser(t.fastify);
    await registerVerified(t, browser, username, `${username}@example.org`);
    assert.equal((await login(browser, username)).statusCode, 303);
    return { browser, accountId: (await t.app.accounts.byLogin(username))?.id ?? '' };
  }

  const authorize = (browser: Browser, acrValues: string) =>
    followRedirects(
      browser,
      `/oidc/auth?${new URLSearchParams({
        client_id: 'tax',
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid profile',
        state: 's',
        code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
        code_challenge_method: 'S256',
        acr_values: acrValues,
      })}`,
    );

  /** Follows our own redirects after a POST; stops where the browser leaves for the service. */
  const afterPost = async (browser: Browser, posted: LightMyRequestResponse): Promise<FollowedPage> => {
    assert.equal(posted.statusCode, 303, posted.body);
    const location = new URL(String(posted.headers.location), 'http://localhost:3000');
    return location.origin === 'http://localhost:3000'
      ? followRedirects(browser, `${location.pathname}${location.search}`)
      : Object.assign(posted, { finalUrl: location.href });
  };

  test('OIDC: the page says what the service needs and why, offers the ID card and the office; back answers unmet_authentication_requirements', async () => {
    const { browser, accountId } = await typedOnly('erika.m');
    const page = await authorize(browser, acr.substantial);
    assert.match(page.finalUrl, /^\/interaction\/[^/]+\/level$/, 'a page here, not a bounce to the service');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /„Gewerbesteuer Online“ braucht eine Anmeldung auf dem Vertrauensniveau „substanziell“/);
    assert.match(page.body, /selbst eingetragen[\s\S]*nur für das Vertrauensniveau „Basisregistrierung“/);
    assert.deepEqual(waysOf(page.body), ['/account/eid'], 'the eID method offers linking the card');
    assert.match(page.body, /Im Bürgerbüro bestätigen lassen/);
    assert.doesNotMatch(page.body, /error_description|unmet|trust level \(/);

    // The offered way is a working link into the card's flow.
    const handOver = await browser.get('/account/eid');
    assert.equal(handOver.statusCode, 200, handOver.body);
    assert.match(handOver.body, /id="eid-start"/, 'the hand-over to the AusweisApp');

    // Without the form's CSRF token nothing is answered.
    const base = page.finalUrl.replace(/\/level$/, '');
    assert.equal((await browser.post(`${base}/level`, { _csrf: 'forged' })).statusCode, 403);
    const back = await afterPost(browser, await browser.post(`${base}/level`, { _csrf: field(page.body, '_csrf') }));
    const callback = new URL(back.finalUrl);
    assert.equal(`${callback.origin}${callback.pathname}`, redirectUri);
    assert.equal(callback.searchParams.get('error'), 'unmet_authentication_requirements');
    assert.match(callback.searchParams.get('error_description') ?? '', /cannot reach the requested trust level \(3\)/);
    assert.equal(callback.searchParams.get('code'), null);
    const audit = await t.app.db.query<{ details: { required: number; reachable: number } }>(
      "SELECT details FROM audit_events WHERE action = 'login.level_unmet' AND actor = $1",
      [`account:${accountId}`],
    );
    assert.deepEqual(
      audit.rows.map((r) => r.details),
      [{ required: 3, reachable: 1 }],
    );
  });

  test('OIDC hoch: no office (hoch needs the card anyway); after linking the card the waiting login goes on', async () => {
    const { browser } = await typedOnly('jonas.k');
    const page = await authorize(browser, acr.high);
    assert.match(page.finalUrl, /\/level$/);
    assert.match(page.body, /Vertrauensniveau „hoch“/);
    assert.deepEqual(waysOf(page.body), ['/account/eid']);
    assert.doesNotMatch(page.body, /Bürgerbüro/);

    const compare = await readCardAt(browser, '/account/eid', 'erika');
    assert.equal(compare.statusCode, 200, compare.body);
    const done = await browser.post('/account/eid/confirm', {
      _csrf: field(compare.body, '_csrf'),
      transaction: field(compare.body, 'transaction'),
      ref: field(compare.body, 'ref'),
    });
    assert.equal(done.statusCode, 200, done.body);
    // The card's last page leads back to the login that waits.
    const onward =
      /<a class="kern-btn kern-btn--primary" href="([^"]+)"><span class="kern-label">Weiter zur Anmeldung beim Dienst/.exec(
        done.body,
      )?.[1];
    assert.equal(onward, page.finalUrl);
    const consent = await followRedirects(browser, onward ?? '');
    assert.match(consent.finalUrl, /^\/interaction\/[^/]+$/);
    assert.match(consent.body, /erhält diese Daten/, 'the login went on to the consent');
  });

  test('SAML: the same page; back answers Responder/NoAuthnContext as before; IsPassive still answers at once', async () => {
    const sp = await createServiceProvider(t.app, {
      entityId: 'https://wohngeld.example/saml',
      authnContext: ['STORK-QAA-Level-3'],
    } as never);
    await registerServiceProvider(t.app, sp);
    const { browser } = await typedOnly('lena.s');
    const url = new URL(await sp.sp.getAuthorizeUrlAsync('relay', undefined, {}));
    const page = await followRedirects(browser, `${url.pathname}${url.search}`);
    assert.match(page.finalUrl, /^\/saml\/login\/s_[^/]+\/level$/);
    assert.match(page.body, /Vertrauensniveau „substanziell“/);
    assert.deepEqual(waysOf(page.body), ['/account/eid']);
    assert.equal((await browser.get('/account/eid')).statusCode, 200);

    const back = await browser.post(page.finalUrl, { _csrf: field(page.body, '_csrf') });
    assert.equal(back.statusCode, 200);
    const xml = Buffer.from(postedFields(back.body).SAMLResponse, 'base64').toString('utf8');
    assert.match(
      xml,
      /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext"\/>/,
    );
    assert.match(xml, /level-unreachable/);
    assert.doesNotMatch(xml, /Assertion/);

    const passive = await createServiceProvider(t.app, {
      entityId: 'https://passiv.example/saml',
      authnContext: ['STORK-QAA-Level-3'],
      passive: true,
    } as never);
    await registerServiceProvider(t.app, passive);
    const passiveUrl = new URL(await passive.sp.getAuthorizeUrlAsync('relay', undefined, {}));
    const answered = await followRedirects(browser, `${passiveUrl.pathname}${passiveUrl.search}`);
    assert.match(
      Buffer.from(postedFields(answered.body).SAMLResponse, 'base64').toString('utf8'),
      /status:NoAuthnContext/,
      'a passive login gets no page',
    );
  });

  test('data verified by a clerk after means were blocked by mail: the eID login at the waiting login is offered', async () => {
    const { browser, accountId } = await typedOnly('paul.b');
    await t.app.attributes.setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
    await t.app.accounts.markMeansReset(accountId, t.clock.now());
    const page = await authorize(browser, acr.substantial);
    assert.match(page.finalUrl, /\/level$/);
    assert.match(page.body, /Ihre Angaben sind bestätigt/);
    assert.match(page.body, /über den Link in einer E-Mail gesperrt/);
    const base = page.finalUrl.replace(/\/level$/, '');
    assert.deepEqual(waysOf(page.body), [`${base}/eid`]);
    assert.doesNotMatch(page.body, /Bürgerbüro/);
    // The card reading under the waiting login links the card of the same holder and goes on.
    const read = await readCardAt(browser, `${base}/eid`, 'erika');
    const consent = await afterPost(browser, read);
    assert.match(consent.body, /erhält diese Daten/);
  });
});
