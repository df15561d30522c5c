import { eachLimited, Pool, randomCitizenAddress, type Scenario, type ScenarioContext } from './scenario.ts';
import { fullLogin, tokenRequest } from './oidc-flow.ts';

/**
 * Refresh-token grants (RFC 6749 §6) with rotation: each grant returns a new
 * refresh token, which goes back to the pool; the old one is spent. The
 * tokens come from real logins (ours) or are minted by the bare library.
 */
export function refreshScenario(ctx: ScenarioContext): Scenario {
  const tokens = new Pool<string>();
  const accounts = ctx.fixtures.accounts;
  return {
    async prepare(slots) {
      const minted = ctx.fixtures.refreshTokens;
      if (minted) {
        if (minted.length < slots) throw new Error(`${slots} refresh tokens needed, ${minted.length} minted`);
        for (const token of minted.slice(0, slots)) tokens.give(token);
        return;
      }
      await eachLimited(
        Array.from({ length: slots }, (_, i) => i),
        8,
        async (i) => {
          const account = accounts[i % accounts.length];
          if (!account) throw new Error('no accounts to log in with');
          const { tokens: set } = await fullLogin(ctx, account, randomCitizenAddress());
          if (!set.refresh_token) throw new Error('the login returned no refresh token');
          tokens.give(set.refresh_token);
        },
      );
    },
    async iterate() {
      const token = await tokens.take();
      let next = token;
      try {
        const set = await tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: token });
        if (!set.refresh_token) throw new Error('no rotated refresh token');
        if (!set.id_token) throw new Error('no ID token from the refresh');
        next = set.refresh_token;
      } finally {
        // A failed grant may have spent the token; the next use then fails too and is counted.
        tokens.give(next);
      }
    },
  };
}
