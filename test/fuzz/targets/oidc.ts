/**
 * oidc-provider's endpoints, mounted before Fastify's router (oidc/mount.ts):
 * authorization (GET and POST) and its resume, token with every grant type
 * and real codes, verifiers and refresh tokens, userinfo with real and
 * random bearer tokens, introspection, revocation, end session and its
 * confirmation, PAR, JWKS, discovery, and the endpoints that are switched off.
 */
import fc from 'fast-check';
import { caseOf, either, live } from '../inputs.ts';
import type { Text } from '../request.ts';
import { caseTarget, pageTarget, type Target } from '../target.ts';
import { hostile, plausible } from '../values.ts';
import { oidcClient, publicClient } from '../world.ts';

const both = { anon: 1, user: 1 } as const;
const levels = [
  'urn:servicekonto:loa:basis',
  'http://eidas.europa.eu/LoA/low',
  'http://eidas.europa.eu/LoA/substantial',
  'http://eidas.europa.eu/LoA/high',
];
const jwtGarbage = fc.oneof(
  fc.constantFrom('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'eyJhbGciOiJIUzI1NiJ9.e30.x', 'a.b.c', '...', 'eyJ'),
  fc
    .tuple(fc.jsonValue(), fc.jsonValue())
    .map(
      ([h, p]) =>
        `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.`,
    ),
);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const clientAuth: fc.Arbitrary<Text> = either(
  [6, fc.constant(basic(oidcClient.id, oidcClient.secret))],
  fc.constantFrom(
    basic(oidcClient.id, 'wrong'),
    basic(publicClient.id, ''),
    basic('unknown', 'x'),
    basic('', ''),
    'Basic !!!',
    'Basic',
    'Bearer x',
    `Basic ${Buffer.from(`${oidcClient.id}:`).toString('base64')}`,
    basic(`${oidcClient.id}%00`, oidcClient.secret),
  ),
);

const authorizationParams: Record<string, fc.Arbitrary<Text>> = {
  client_id: either([6, fc.constantFrom(oidcClient.id, publicClient.id)], fc.constant('unknown')),
  redirect_uri: either(
    [6, fc.constantFrom(oidcClient.redirectUri, publicClient.redirectUri)],
    fc.constantFrom(
      'https://evil.example/callback',
      'https://service.example/callback/../x',
      'https://service.example/callback?x=1',
      'https://SERVICE.example/callback',
      'http://service.example/callback',
      'https://service.example/callback#x',
    ),
  ),
  response_type: either(
    [6, fc.constant('code')],
    fc.constantFrom('token', 'id_token', 'code id_token', 'none', 'code token', 'CODE'),
  ),
  scope: either(
    [
      6,
      fc
        .subarray(['openid', 'profile', 'email', 'address', 'phone', 'verified_claims', 'offline_access'])
        .map((a) => a.join(' ')),
    ],
    fc.constantFrom('openid openid', 'OPENID', 'openid\u0000profile', 'openid+profile'),
  ),
  state: either([3, fc.string({ maxLength: 20 })]),
  nonce: either([3, fc.string({ maxLength: 20 })]),
  code_challenge: either([4, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)], fc.stringMatching(/^[A-Za-z0-9_-]{0,42}$/)),
  code_challenge_method: either([4, fc.constant('S256')], fc.constantFrom('plain', 's256', '')),
  acr_values: either([3, fc.subarray(levels, { minLength: 1 }).map((a) => a.join(' '))]),
  prompt: either([
    2,
    fc.constantFrom('none', 'login', 'consent', 'select_account', 'create', 'login consent', 'none login'),
  ]),
  max_age: either([2, fc.constantFrom('0', '1', '-1', '1e9', '9999999999999999999', 'abc')]),
  ui_locales: either([2, fc.constantFrom('de', 'en', 'de en', 'xx', 'en-GB')]),
  claims: either(
    [
      2,
      fc.constantFrom(
        '{"userinfo":{"verified_claims":{"verification":{"trust_framework":null},"claims":{"given_name":null}}}}',
        '{"id_token":{"acr":{"essential":true,"values":["x"]}}}',
        '{"userinfo":{"email":{"essential":true}}}',
        'null',
        '[]',
      ),
    ],
    fc.jsonValue().map((v) => JSON.stringify(v)),
  ),
  request: either(jwtGarbage),
  request_uri: either(fc.constantFrom('urn:ietf:params:oauth:request_uri:x', 'https://evil.example/request')),
  response_mode: either([2, fc.constantFrom('query', 'fragment', 'form_post', 'jwt', 'query.jwt', 'web_message')]),
  id_token_hint: either([2, live('oidcTokens', 'id')], jwtGarbage),
  login_hint: either([2, live('account', 'username')]),
  display: either(fc.constantFrom('page', 'popup', 'touch', 'wap')),
  resource: either(fc.constantFrom('https://evil.example', 'https://service.example/api', 'urn:x')),
  authorization_details: either(fc.jsonValue().map((v) => JSON.stringify(v))),
  dpop_jkt: either(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
  registration: either(fc.jsonValue().map((v) => JSON.stringify(v))),
  claims_locales: either(fc.constantFrom('de', 'en')),
};

const tokenFields: Record<string, fc.Arbitrary<Text>> = {
  grant_type: either(
    [8, fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials')],
    fc.constantFrom(
      'urn:ietf:params:oauth:grant-type:device_code',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'urn:openid:params:grant-type:ciba',
      'password',
      'implicit',
      'AUTHORIZATION_CODE',
    ),
  ),
  code: either([4, live('oidcCode', 'code')], live('oidcTokens', 'code'), plausible.token),
  code_verifier: either([4, live('oidcCode', 'verifier')], fc.stringMatching(/^[A-Za-z0-9._~-]{43,128}$/)),
  redirect_uri: authorizationParams.redirect_uri ?? hostile,
  refresh_token: either([4, live('oidcTokens', 'refresh')], plausible.token),
  scope: authorizationParams.scope ?? hostile,
  client_id: either([3, fc.constantFrom(oidcClient.id, publicClient.id)]),
  client_secret: either([3, fc.constant(oidcClient.secret)]),
  client_assertion_type: either(fc.constant('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')),
  client_assertion: either(jwtGarbage),
  resource: either(fc.constantFrom('https://service.example/api', 'https://evil.example')),
};
const tokenParam: Record<string, fc.Arbitrary<Text>> = {
  token: either(
    [2, live('oidcTokens', 'access')],
    [2, live('oidcTokens', 'refresh')],
    live('oidcTokens', 'id'),
    plausible.token,
    jwtGarbage,
  ),
  token_type_hint: either([3, fc.constantFrom('access_token', 'refresh_token', 'id_token')]),
  client_id: either([2, fc.constantFrom(oidcClient.id, publicClient.id)]),
};
const bearer: fc.Arbitrary<Text> = either(
  [4, live('oidcTokens', 'access').map((l) => ({ ...l, prefix: 'Bearer ' }))],
  fc.constantFrom('Bearer ', 'Bearer x', 'bearer x', 'DPoP x', 'Basic x', 'Bearer a b'),
  jwtGarbage.map((j) => `Bearer ${j}`),
);
const endSessionParams: Record<string, fc.Arbitrary<Text>> = {
  id_token_hint: either([3, live('oidcTokens', 'id')], jwtGarbage),
  post_logout_redirect_uri: either([
    2,
    fc.constantFrom(oidcClient.redirectUri, 'https://service.example/', 'https://evil.example/'),
  ]),
  state: either(fc.string({ maxLength: 20 })),
  client_id: either([2, fc.constantFrom(oidcClient.id, publicClient.id)]),
  ui_locales: either(fc.constantFrom('de', 'en')),
  logout_hint: either(live('account', 'username')),
};

const disabled = [
  'oidc/reg',
  'oidc/reg/fuzz',
  'oidc/device/auth',
  'oidc/device',
  'oidc/device/x',
  'oidc/backchannel',
  'oidc/challenge',
  'oidc/credential',
  'oidc/unknown',
  'oidc/',
  'oidc/token/x',
  'oidc/session',
  '.well-known/x',
];

export const oidcTargets: Target<never>[] = [
  pageTarget({ route: 'GET /oidc/auth', sessions: both, query: authorizationParams }),
  pageTarget({ route: 'POST /oidc/auth', sessions: both, csrf: false, fields: authorizationParams }),
  pageTarget({
    route: 'GET /oidc/auth/:uid',
    sessions: both,
    params: { uid: either([4, live('uid:plain')], live('uid:stepup'), plausible.token) },
    query: authorizationParams,
  }),
  pageTarget(
    {
      route: 'POST /oidc/token',
      sessions: { anon: 1 },
      csrf: false,
      accept: 'json',
      fields: tokenFields,
      headers: { authorization: clientAuth, dpop: jwtGarbage },
    },
    { pages: false },
  ),
  pageTarget(
    {
      route: 'GET /oidc/userinfo',
      sessions: { anon: 1 },
      accept: 'json',
      query: { access_token: either(live('oidcTokens', 'access')) },
      headers: { authorization: bearer },
    },
    { pages: false },
  ),
  pageTarget(
    {
      route: 'POST /oidc/userinfo',
      sessions: { anon: 1 },
      csrf: false,
      accept: 'json',
      fields: { access_token: either([2, live('oidcTokens', 'access')]) },
      headers: { authorization: bearer },
    },
    { pages: false },
  ),
  pageTarget(
    {
      route: 'POST /oidc/token/introspection',
      sessions: { anon: 1 },
      csrf: false,
      accept: 'json',
      fields: tokenParam,
      headers: { authorization: clientAuth },
    },
    { pages: false },
  ),
  pageTarget(
    {
      route: 'POST /oidc/token/revocation',
      sessions: { anon: 1 },
      csrf: false,
      accept: 'json',
      fields: tokenParam,
      headers: { authorization: clientAuth },
    },
    { pages: false },
  ),
  pageTarget({ route: 'GET /oidc/session/end', sessions: both, query: endSessionParams }),
  pageTarget({ route: 'POST /oidc/session/end', sessions: both, csrf: false, fields: endSessionParams }),
  pageTarget({
    route: 'POST /oidc/session/end/confirm',
    sessions: both,
    csrf: false,
    fields: { xsrf: either([4, live('endSession', 'xsrf')]), logout: either([3, fc.constant('yes')]) },
  }),
  pageTarget({
    route: 'GET /oidc/session/end/success',
    sessions: both,
    query: { client_id: either([2, fc.constant(oidcClient.id)]), state: hostile },
  }),
  pageTarget(
    {
      route: 'POST /oidc/request',
      sessions: { anon: 1 },
      csrf: false,
      accept: 'json',
      fields: authorizationParams,
      headers: { authorization: clientAuth },
    },
    { pages: false },
  ),
  pageTarget({ route: 'GET /oidc/jwks', sessions: { anon: 1 }, accept: 'json' }, { pages: false }),
  pageTarget(
    { route: 'GET /.well-known/openid-configuration', sessions: { anon: 1 }, accept: 'json' },
    { pages: false },
  ),
  caseTarget(
    'ANY /oidc/<switched off or unknown>',
    fc.oneof(
      ...disabled.map((path) =>
        caseOf({
          route: `POST /${path}`,
          sessions: { anon: 1 },
          csrf: false,
          accept: 'json',
          fields: { ...tokenParam, client_id: either(fc.constant(oidcClient.id)) },
          headers: { authorization: clientAuth },
        }),
      ),
    ),
    { pages: false },
  ),
] as Target<never>[];

/** Provider endpoints, which Fastify's route table does not list (oidc/mount.ts hands them over in onRequest). */
export const providerRoutes = oidcTargets.map((t) => t.route);
