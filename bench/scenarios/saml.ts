import { SAML } from '@node-saml/node-saml';
import { serviceProviderConfig } from '../../test/helpers/saml-sp.ts';
import { Browser, findForm, glimpse, type Visited } from '../lib/browser.ts';
import type { SamlFixture } from '../lib/types.ts';
import { eachLimited, Pool, randomCitizenAddress, type Scenario, type ScenarioContext } from './scenario.ts';

/**
 * SAML Web SSO (saml-profiles §4.1) for a citizen who is logged in already:
 * the service's signed AuthnRequest by HTTP-Redirect, answered at once at
 * /saml/sso from the SSO session with the auto-submitting POST page carrying the signed Response with the encrypted
 * assertion. The service is node-saml 5 configured as in the end-to-end
 * tests (test/helpers/saml-sp.ts): RSA-3072 keys, signed requests, signed
 * and encrypted answers. Each browser logs in once (method choice,
 * password, consent) during `prepare`.
 */
export function samlScenario(ctx: ScenarioContext): Scenario {
  const fixture = ctx.fixtures.saml;
  if (!fixture) throw new Error('the SAML scenario needs a registered service provider');
  const sp = serviceProvider(ctx.base, fixture);
  const browsers = new Pool<Browser>();
  // Signed AuthnRequests made ahead, so signing them (the service's work) is not in the latency.
  const ready: string[] = [];
  const makeRequest = () => sp.getAuthorizeUrlAsync(`rs-${Math.random().toString(36).slice(2, 10)}`, undefined, {});
  const refill = () => {
    void makeRequest().then(
      (url) => ready.push(url),
      () => undefined,
    );
  };
  let answered = 0;

  async function login(browser: Browser, account: { username: string; password: string }): Promise<void> {
    let hop = await browser.visit(await makeRequest());
    for (let step = 0; step < 6; step++) {
      if (postedResponse(hop)) return;
      const { response, url } = hop;
      const uid = /^\/saml\/login\/([^/]+)/.exec(url.pathname)?.[1];
      if (response.status !== 200 || !uid)
        throw new Error(`${url.pathname} answered ${response.status}: ${glimpse(response.body)}`);
      const base = `/saml/login/${uid}`;
      const password = findForm(response.body, (_tag, action) => action === `${base}/password`);
      const consent = findForm(response.body, (_tag, action) => action === `${base}/consent`);
      if (password)
        hop = await browser.submit(password.action, {
          ...password.fields,
          username: account.username,
          password: account.password,
        });
      else if (consent) hop = await browser.submit(consent.action, consent.fields);
      else if (response.body.includes(`href="${base}/password"`)) hop = await browser.visit(`${base}/password`);
      else throw new Error(`SAML login page without a form: ${glimpse(response.body)}`);
    }
    throw new Error('the SAML login did not reach the service');
  }

  return {
    async prepare(slots) {
      const accounts = ctx.fixtures.accounts;
      await eachLimited(
        Array.from({ length: slots }, (_, i) => i),
        8,
        async (i) => {
          const account = accounts[i % accounts.length];
          if (!account) throw new Error('no accounts to log in with');
          const browser = new Browser(ctx.base, ctx.request, randomCitizenAddress());
          await login(browser, account);
          browsers.give(browser);
        },
      );
      for (let i = 0; i < Math.min(64, slots * 2); i++) ready.push(await makeRequest());
    },
    async iterate() {
      const url = ready.pop() ?? (await makeRequest());
      refill();
      const browser = await browsers.take();
      let hop: Visited;
      try {
        // Each request from another address: SAML requests are limited per address (src/saml/inbound.ts).
        browser.forwardedFor = randomCitizenAddress();
        hop = await browser.visit(url);
      } finally {
        browsers.give(browser);
      }
      const posted = postedResponse(hop);
      if (!posted)
        throw new Error(
          `no Response for a logged-in citizen: ${hop.url.pathname} ${hop.response.status}: ${glimpse(hop.response.body)}`,
        );
      return checkResponse(sp, fixture, posted, ++answered);
    },
  };

  function postedResponse(hop: Visited): string | undefined {
    if (hop.response.status !== 200) return undefined;
    const form = findForm(hop.response.body, (tag) => tag.includes('data-saml-post'));
    if (!form) return undefined;
    if (form.action !== fixture?.acs)
      throw new Error(`the Response goes to ${form.action}, not the ACS ${fixture?.acs}`);
    return form.fields.SAMLResponse;
  }
}

/**
 * Every Response is checked for shape (success, a signature, an encrypted assertion); the first three and one in
 * `validateEvery` are validated and decrypted (by node-saml unless `validate` says otherwise), after the latency is
 * taken (the service's work).
 */
export function checkResponse(
  sp: SAML,
  fixture: SamlFixture,
  posted: string,
  answered: number,
  validate = async () => {
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: posted });
    if (!profile || profile.issuer !== fixture.idpEntityId) throw new Error('node-saml did not accept the Response');
  },
): (() => Promise<void>) | undefined {
  const xml = Buffer.from(posted, 'base64').toString('utf8');
  if (!xml.includes('urn:oasis:names:tc:SAML:2.0:status:Success'))
    throw new Error(`the Response is not a success: ${xml.slice(0, 300)}`);
  if (!/<(\w+:)?EncryptedAssertion\b/.test(xml) || !/<(\w+:)?Signature\b/.test(xml))
    throw new Error('the Response is not signed with an encrypted assertion');
  if (answered > 3 && answered % fixture.validateEvery !== 0) return undefined;
  return validate;
}

/** node-saml as the service, sending its requests to our /saml/sso or to the fixture's SSO endpoint. */
export function serviceProvider(base: URL, fixture: SamlFixture): SAML {
  return new SAML({
    ...serviceProviderConfig({
      entityId: fixture.entityId,
      acs: fixture.acs,
      slo: fixture.slo,
      idpBaseUrl: base.origin,
      idpCert: fixture.idpCertificates,
      signing: fixture.signing,
      encryption: fixture.encryption,
    }),
    idpIssuer: fixture.idpEntityId,
    requestIdExpirationPeriodMs: 10 * 60_000,
    ...(fixture.ssoUrl ? { entryPoint: fixture.ssoUrl } : {}),
  });
}
