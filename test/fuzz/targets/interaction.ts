/**
 * The pages of an OIDC login (/interaction/:uid): method choice, password,
 * consent, continue, abort, the level page, the step-up pages, the eID reading and the
 * guest login. The uid is a live interaction of the request's browser
 * (plain, asking for substanziell, of the public client, of a guest
 * service), damaged at times, or made up.
 */
import fc from 'fast-check';
import { either, live } from '../inputs.ts';
import { pageTarget, type Target } from '../target.ts';
import { plausible } from '../values.ts';
import {
  eidScopeTargets,
  passkeyTargets,
  password,
  readingFormTarget,
  returnTo,
  stepUpTargets,
  username,
} from './common.ts';

const both = { anon: 1, user: 1 } as const;
const uid = either(
  [4, live('uid:plain')],
  [2, live('uid:stepup')],
  [1, live('uid:public')],
  [1, live('uid:guest')],
  plausible.token,
  fc.constant('x'.repeat(201)),
);
const params = { uid };

export const interactionTargets: Target<never>[] = [
  pageTarget({ route: 'GET /interaction/:uid', sessions: both, params }),
  pageTarget({ route: 'GET /interaction/:uid/password', sessions: both, params }),
  pageTarget({
    route: 'POST /interaction/:uid/password',
    sessions: both,
    params,
    fields: { username, password, return: returnTo },
  }),
  ...passkeyTargets('/interaction/:uid', params, both),
  pageTarget({ route: 'POST /interaction/:uid/consent', sessions: both, params }),
  pageTarget({ route: 'POST /interaction/:uid/abort', sessions: both, params }),
  // The page that explains a level the account cannot reach, and its way back to the service (issue 15, point 6).
  pageTarget({ route: 'GET /interaction/:uid/level', sessions: both, params }),
  pageTarget({ route: 'POST /interaction/:uid/level', sessions: both, params }),
  ...stepUpTargets('/interaction/:uid', params, { anon: 1, user: 3 }),
  ...eidScopeTargets('/interaction/:uid', 'interaction', both, uid),
  ...eidScopeTargets('/interaction/:uid/guest', 'interactionGuest', { anon: 1 }, either([4, live('uid:guest')], uid)),
  readingFormTarget('POST /interaction/:uid/guest/consent', 'interactionGuest', { anon: 1 }, {}, [
    'erika',
    'permit',
    'smart-eid',
  ]),
] as Target<never>[];
