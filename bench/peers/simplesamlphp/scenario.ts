import { Browser, findForm, glimpse, type Visited } from '../../lib/browser.ts';
import { checkResponse, serviceProvider } from '../../scenarios/saml.ts';
import { validateSimpleSamlPhpResponse } from './validate.ts';
import { eachLimited, Pool, type Scenario, type ScenarioContext } from '../../scenarios/scenario.ts';

/**
 * The SAML scenario (scenarios/saml.ts) against SimpleSAMLphp: the same
 * node-saml service with the same keys sends its signed AuthnRequest by
 * HTTP-Redirect to SimpleSAMLphp's SSOService.php; a browser with an SSO
 * session there gets the auto-submitting page with the signed Response and
 * the encrypted assertion at once. Each browser logs in once at the
 * UserPass source while preparing. Every Response is checked as ours are;
 * validate.ts stands in for node-saml's validation, which refuses its AES-128-CBC.
 */
export function simpleSamlPhpScenario(ctx: ScenarioContext): Scenario {
  const fixture = ctx.fixtures.saml;
  if (!fixture?.ssoUrl) throw new Error('the SimpleSAMLphp scenario needs its SSO endpoint');
  const sp = serviceProvider(ctx.base, fixture);
  const browsers = new Pool<Browser>();
  const ready: string[] = [];
  const makeRequest = () => sp.getAuthorizeUrlAsync(`rs-${Math.random().toString(36).slice(2, 10)}`, undefined, {});
  const refill = () => {
    void makeRequest().then(
      (url) => ready.push(url),
      () => undefined,
    );
  };
  let answered = 0;

  function postedResponse(hop: Visited): string | undefined {
    if (hop.response.status !== 200) return undefined;
    const form = findForm(hop.response.body, (_tag, action) => action === fixture?.acs);
    return form?.fields.SAMLResponse;
  }

  async function login(browser: Browser, account: { username: string; password: string }): Promise<void> {
    const hop = await browser.visit(await makeRequest());
    const form = findForm(hop.response.body, (tag) => /method="post"/i.test(tag));
    if (hop.response.status !== 200 || !form || !('AuthState' in form.fields))
      throw new Error(`no SimpleSAMLphp login form at ${hop.url.pathname}: ${glimpse(hop.response.body)}`);
    const answer = await browser.submit(new URL(form.action, hop.url), {
      ...form.fields,
      username: account.username,
      password: account.password,
    });
    if (!postedResponse(answer))
      throw new Error(
        `SimpleSAMLphp's login did not answer the service: ${answer.url.pathname} ${answer.response.status}: ${glimpse(answer.response.body)}`,
      );
  }

  return {
    async prepare(slots) {
      const [account] = ctx.fixtures.accounts;
      if (!account) throw new Error('no SimpleSAMLphp account to log in with');
      await eachLimited(
        Array.from({ length: slots }, (_, i) => i),
        8,
        async () => {
          const browser = new Browser(ctx.base, ctx.request);
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
        hop = await browser.visit(url);
      } finally {
        browsers.give(browser);
      }
      const posted = postedResponse(hop);
      if (!posted)
        throw new Error(
          `no Response for a logged-in citizen: ${hop.url.pathname} ${hop.response.status}: ${glimpse(hop.response.body)}`,
        );
      return checkResponse(sp, fixture, posted, ++answered, () => validateSimpleSamlPhpResponse(posted, fixture));
    },
  };
}
