import { jsonOf } from '../lib/http.ts';
import { eachLimited, randomCitizenAddress, type Scenario, type ScenarioContext } from './scenario.ts';
import { fullLogin } from './oidc-flow.ts';

/** Userinfo requests (OIDC Core §5.3) with access tokens from real logins, round robin. */
export function userinfoScenario(ctx: ScenarioContext): Scenario {
  const accessTokens: string[] = [];
  let next = 0;
  return {
    async prepare(slots) {
      const count = Math.min(slots, ctx.fixtures.accounts.length, 32);
      await eachLimited(ctx.fixtures.accounts.slice(0, count), 8, async (account) => {
        accessTokens.push((await fullLogin(ctx, account, randomCitizenAddress())).tokens.access_token);
      });
    },
    async iterate() {
      const token = accessTokens[next++ % accessTokens.length];
      const response = await ctx.request(new URL(ctx.fixtures.userinfoPath, ctx.base), {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      const body = jsonOf<{ sub?: string }>(response, 'userinfo');
      if (response.status !== 200 || !body.sub)
        throw new Error(`userinfo answered ${response.status}: ${response.body.slice(0, 200)}`);
    },
  };
}
