import { eachLimited, Pool, randomCitizenAddress, type Scenario, type ScenarioContext } from './scenario.ts';
import { fullLogin } from './oidc-flow.ts';
import { BrowserProfile } from '../lib/browser.ts';

/**
 * Full password logins through the OIDC code flow (oidc-flow.ts), each in the
 * citizen's own browser after their session ended (no SSO session; the styles
 * cached since the first visit), code exchange included. Accounts come from
 * a pool so no account logs in twice at once; successful logins clear the
 * throttle's per-account and per-name keys (src/methods/password/throttle.ts).
 */
export function loginScenario(ctx: ScenarioContext): Scenario {
  const accounts = new Pool(ctx.fixtures.accounts);
  const expectedPages = (ctx.fixtures.loginPages ?? ['choice', 'password']).join(' ');
  // Each citizen logs in from their own browser; its cache keeps the styles of the first visit (prepare below).
  const profiles = new Map(ctx.fixtures.accounts.map((account) => [account.username, new BrowserProfile()]));
  return {
    async prepare(_slots, warmAccounts) {
      if (!warmAccounts) return;
      // Each account logs in once unmeasured: its consent is stored, and a hash made with other
      // argon2 parameters than the server's is renewed (a first login after a parameter change).
      await eachLimited(ctx.fixtures.accounts, 8, async (account) => {
        await fullLogin(ctx, account, randomCitizenAddress(), profiles.get(account.username));
      });
    },
    async iterate() {
      const account = await accounts.take();
      try {
        const { pages } = await fullLogin(ctx, account, randomCitizenAddress(), profiles.get(account.username));
        if (pages.join(' ') !== expectedPages)
          throw new Error(`a returning citizen's login passed "${pages.join(' ')}", not "${expectedPages}"`);
      } finally {
        accounts.give(account);
      }
    },
  };
}
