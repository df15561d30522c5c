/**
 * SAML: SSO and single logout over HTTP-Redirect and HTTP-POST
 * (saml-messages.ts), the metadata, the citizen's pages of a pending SAML
 * login (/saml/login/:uid: method choice, password, consent, abort,
 * step-up, eID, guest) and the steps of a logout flow.
 */
import fc from 'fast-check';
import { caseOf, either, live } from '../inputs.ts';
import { postForm, redirectQuery, samlMessage } from '../saml-messages.ts';
import { pageTarget, protocolTarget, type Target } from '../target.ts';
import { plausible } from '../values.ts';
import { eidScopeTargets, passkeyTargets, password, readingFormTarget, stepUpTargets, username } from './common.ts';

const both = { anon: 1, user: 1 } as const;
const uid = either([5, live('samlUid')], plausible.token, fc.constant('s_'));
const params = { uid };

function redirectTarget(
  path: '/saml/sso' | '/saml/slo',
  kinds: Parameters<typeof samlMessage>[1],
  parameter: 'SAMLRequest' | 'either',
): Target<never> {
  return protocolTarget(
    `GET ${path}`,
    caseOf({ route: `GET ${path}`, sessions: both }),
    samlMessage(path, kinds, parameter, 'redirect'),
    async (sent, m, r) => {
      const query = await redirectQuery(m, r);
      const noise = sent.url.split('?')[1];
      return { ...sent, url: `${path}?${query}${noise && m.extras.length > 0 ? `&${noise}` : ''}` };
    },
  ) as Target<never>;
}

function postTarget(
  path: '/saml/sso' | '/saml/slo',
  kinds: Parameters<typeof samlMessage>[1],
  parameter: 'SAMLRequest' | 'either',
): Target<never> {
  const message = fc
    .tuple(samlMessage(path, kinds, parameter, 'post'), fc.nat(20))
    .map(([m, n]) => ({ m, keepBody: n === 0 }));
  return protocolTarget(
    `POST ${path}`,
    caseOf({ route: `POST ${path}`, sessions: both, csrf: false }),
    message,
    async (sent, { m, keepBody }, r) => {
      // One in 21 keeps the generic body (other content types, bytes, nothing) instead of the SAML form.
      if (keepBody) return sent;
      return {
        ...sent,
        payload: await postForm(m, r),
        headers: { ...sent.headers, 'content-type': 'application/x-www-form-urlencoded' },
      };
    },
  ) as Target<never>;
}

export const samlTargets: Target<never>[] = [
  redirectTarget('/saml/sso', ['AuthnRequest'], 'SAMLRequest'),
  postTarget('/saml/sso', ['AuthnRequest'], 'SAMLRequest'),
  redirectTarget('/saml/slo', ['LogoutRequest', 'LogoutResponse', 'AuthnRequest'], 'either'),
  postTarget('/saml/slo', ['LogoutRequest', 'LogoutResponse', 'AuthnRequest'], 'either'),
  pageTarget({ route: 'GET /saml/metadata', sessions: { anon: 1 } }, { pages: false }),
  pageTarget({
    route: 'GET /saml/logout/next/:flow',
    sessions: both,
    params: { flow: either([4, live('logoutFlow')], plausible.token) },
  }),
  pageTarget({ route: 'GET /saml/login/:uid', sessions: both, params }),
  pageTarget({ route: 'GET /saml/login/:uid/password', sessions: both, params }),
  pageTarget({ route: 'POST /saml/login/:uid/password', sessions: both, params, fields: { username, password } }),
  ...passkeyTargets('/saml/login/:uid', params, both),
  pageTarget({ route: 'GET /saml/login/:uid/consent', sessions: both, params }),
  pageTarget({ route: 'POST /saml/login/:uid/consent', sessions: both, params }),
  pageTarget({ route: 'POST /saml/login/:uid/abort', sessions: both, params }),
  // The page that explains a level the account cannot reach, and its way back to the service (issue 15, point 6).
  pageTarget({ route: 'GET /saml/login/:uid/level', sessions: both, params }),
  pageTarget({ route: 'POST /saml/login/:uid/level', sessions: both, params }),
  ...stepUpTargets('/saml/login/:uid', params, { anon: 1, user: 3 }),
  ...eidScopeTargets('/saml/login/:uid', 'saml', both, uid),
  ...eidScopeTargets('/saml/login/:uid/guest', 'samlGuest', { anon: 1 }, uid),
  readingFormTarget('POST /saml/login/:uid/guest/consent', 'samlGuest', { anon: 1 }, {}, [
    'erika',
    'permit',
    'smart-eid',
  ]),
] as Target<never>[];
