import { eachLimited, Pool, randomCitizenAddress, type Scenario, type ScenarioContext } from './scenario.ts';
import { fullLogin } from './oidc-flow.ts';

/**
 * Full password logins through the OIDC code flow (oidc-flow.ts), each in a
 * new browser (no SSO session), code exchange included. Accounts come from
 * a pool so no account logs in twice at once; successful logins clear the
 * throttle's per-account and per-name keys (src/methods/password/throttle.ts).
 */
export function loginScenario(ctx: ScenarioContext): Scenario {
  const accounts = new Pool(ctx.fixtures.accounts);
  return {
    async prepare(_slots, warmAccounts) {
      if (!warmAccounts) return;
      // Each account logs in once unmeasured: its consent is stored, and a hash made with other
      // argon2 parameters than the server's is renewed (a first login after a parameter change).
      await eachLimited(ctx.fixtures.accounts, 8, async (account) => {
        await fullLogin(ctx, account, randomCitizenAddress());
      });
    },
    async iterate() {
      const account = await accounts.take();
      try {
        const { pages } = await fullLogin(ctx, account, randomCitizenAddress());
        if (pages.join(' ') !== 'choice password')
          throw new Error(
            `a returning citizen's login passed ${pages.join(', ')}, not the method choice and the password page`,
          );
      } finally {
        accounts.give(account);
      }
    },
  };
}
