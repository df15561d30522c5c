/** Every fuzz target, by group (one test file and one app each). */
import fc from 'fast-check';
import { caseOf } from '../inputs.ts';
import { caseTarget, type Target } from '../target.ts';
import { hostile } from '../values.ts';
import { accountTargets } from './account.ts';
import { eidTargets } from './eid.ts';
import { interactionTargets } from './interaction.ts';
import { oidcTargets } from './oidc.ts';
import { samlTargets } from './saml.ts';
import { siteTargets } from './site.ts';

/** Paths nobody registered: the not-found page. */
const unknownPaths = caseTarget(
  'ANY <unregistered paths>',
  fc.oneof(...['GET /:a', 'GET /:a/:b', 'POST /:a', 'GET /account/:a', 'POST /interaction/:a/:b', 'GET /saml/:a', 'GET /static/:a/:b'].map((route) => caseOf({ route, params: { a: hostile, b: hostile } }))),
);

export const groups: Readonly<Record<string, readonly Target<never>[]>> = {
  site: [...siteTargets, unknownPaths as Target<never>],
  account: accountTargets,
  interaction: interactionTargets,
  saml: samlTargets,
  oidc: oidcTargets,
  eid: eidTargets,
};

export const allTargets: readonly Target<never>[] = Object.values(groups).flat();
