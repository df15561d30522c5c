import type { ScenarioName } from '../lib/types.ts';
import { simpleSamlPhpScenario } from '../peers/simplesamlphp/scenario.ts';
import { clientCredentialsScenario } from './client-credentials.ts';
import { loginScenario } from './login.ts';
import { refreshScenario } from './refresh.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';
import { samlScenario } from './saml.ts';
import { userinfoScenario } from './userinfo.ts';

export const scenarios: Record<ScenarioName, (ctx: ScenarioContext) => Scenario> = {
  login: loginScenario,
  refresh: refreshScenario,
  'client-credentials': clientCredentialsScenario,
  userinfo: userinfoScenario,
  saml: samlScenario,
  'saml-simplesamlphp': simpleSamlPhpScenario,
};
