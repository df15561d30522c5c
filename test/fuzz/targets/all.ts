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
import { sitePageTargets } from './site-pages.ts';

/** Paths nobody registered: the not-found page. */
const unknownPaths = caseTarget(
  'ANY <unregistered paths>',
  fc.oneof(
    ...[
      'GET /:a',
      'GET /:a/:b',
      'POST /:a',
      'GET /account/:a',
      'POST /interaction/:a/:b',
      'GET /saml/:a',
      'GET /static/:a/:b',
    ].map((route) => caseOf({ route, params: { a: hostile, b: hostile } })),
  ),
);

const isStepUp = (t: Target<never>) => t.route.includes('/account/confirm');
const isSamlLogin = (t: Target<never>) => t.route.includes('/saml/login/');

/** Groups of about equal running time, so that the full run keeps every core busy. */
export const groups: Readonly<Record<string, readonly Target<never>[]>> = {
  site: [...siteTargets, ...sitePageTargets, unknownPaths as Target<never>],
  account: accountTargets.filter((t) => !isStepUp(t)),
  'account-confirm': accountTargets.filter(isStepUp),
  interaction: interactionTargets,
  saml: samlTargets.filter((t) => !isSamlLogin(t)),
  'saml-login': samlTargets.filter(isSamlLogin),
  oidc: oidcTargets,
  eid: eidTargets,
};

export const allTargets: readonly Target<never>[] = Object.values(groups).flat();
