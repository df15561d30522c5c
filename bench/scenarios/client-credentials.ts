import type { Scenario, ScenarioContext } from './scenario.ts';
import { tokenRequest } from './oidc-flow.ts';

/** Client-credentials grants (RFC 6749 §4.4): a service's back end asks for an access token of its own. */
export function clientCredentialsScenario(ctx: ScenarioContext): Scenario {
  return {
    async prepare() {},
    async iterate() {
      const set = await tokenRequest(ctx, { grant_type: 'client_credentials' });
      if (set.token_type.toLowerCase() !== 'bearer') throw new Error(`token_type ${set.token_type}`);
    },
  };
}
