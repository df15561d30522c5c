/**
 * The public pages and forms: start page, language, login, registration,
 * the mailed links, recovery by mail, a lost means, logout, health, static
 * files and the development outboxes.
 */
import fc from 'fast-check';
import { either, live } from '../inputs.ts';
import { assetUrl } from '../../../src/web/assets/catalogue.ts';
import { pageTarget, type Target } from '../target.ts';
import { plausible } from '../values.ts';
import { email, lang, newPassword, passkeyTargets, password, returnTo, username } from './common.ts';

const anonMostly = { anon: 3, user: 1 } as const;
const staticFile = (names: readonly string[]) =>
  either(
    [4, fc.constantFrom(...names)],
    fc.constantFrom('..', '%2e%2e', '..%2fpackage.json', '.env', 'index.html', 'app.css%00.js', 'APP.CSS'),
  );
const mailToken = (purpose: string) => either([4, live(`mailToken:${purpose}`)], plausible.token);
const identifier = either([2, live('account', 'username')], [2, live('account', 'email')], plausible.email);
/** The field that blocks one means on the lost-means page: `block_<means id>`. */
const blockField = either([3, live('means', 'blockField')], fc.constant('block_'));

export const siteTargets: Target<never>[] = [
  pageTarget({ route: 'GET /', sessions: anonMostly }),
  pageTarget({ route: 'GET /language', sessions: anonMostly, query: { lang, return: returnTo } }),
  pageTarget({ route: 'POST /logout', sessions: { anon: 1, user: 2 } }),
  pageTarget({ route: 'GET /logout/done', sessions: anonMostly }),
  pageTarget({ route: 'GET /favicon.ico', sessions: { anon: 1 } }, { pages: false }),
  pageTarget({ route: 'GET /healthz', sessions: { anon: 1 }, accept: 'json' }, { pages: false }),
  pageTarget({ route: 'GET /readyz', sessions: { anon: 1 }, accept: 'json' }, { pages: false }),
  pageTarget(
    {
      route: 'GET /static/:file',
      sessions: { anon: 1 },
      params: {
        file: staticFile([
          'app.css',
          'favicon.svg',
          'saml-post.js',
          'webauthn.js',
          'passkey-login.js',
          'print.js',
          'simplewebauthn.js',
          'FiraSans-Regular.woff2',
          assetUrl('favicon.svg').slice('/static/'.length),
          assetUrl('app.css').slice('/static/'.length),
          assetUrl('FiraSans-SemiBold.woff2').slice('/static/'.length),
        ]),
      },
    },
    { staticFiles: true },
  ),
  pageTarget(
    {
      route: 'GET /static/kern/*',
      sessions: { anon: 1 },
      params: { '*': staticFile(['kern.min.css', 'kern.css', 'kern-grid.css', 'fonts', 'js']) },
    },
    { staticFiles: true },
  ),
  pageTarget(
    {
      route: 'GET /static/vendor/simplewebauthn/*',
      sessions: { anon: 1 },
      params: { '*': staticFile(['index.umd.min.js', 'index.es5.umd.min.js']) },
    },
    { staticFiles: true },
  ),
  pageTarget({ route: 'GET /login', sessions: anonMostly, query: { return: returnTo } }),
  pageTarget({ route: 'GET /login/password', sessions: anonMostly, query: { return: returnTo } }),
  pageTarget({ route: 'POST /login/password', sessions: anonMostly, fields: { username, password, return: returnTo } }),
  ...passkeyTargets('/login', {}, anonMostly),
  pageTarget({ route: 'GET /register', sessions: anonMostly, query: { return: returnTo } }),
  pageTarget(
    {
      route: 'POST /register',
      sessions: anonMostly,
      fields: {
        username: either([3, plausible.username], live('account', 'username')),
        email: either([3, plausible.email], live('account', 'email')),
        password: newPassword,
        password2: newPassword,
        terms: either([4, fc.constant('yes')], fc.constant('')),
        return: returnTo,
      },
    },
    // Post/redirect/get: a registration answers with a redirect to /register/sent.
    { accounts: { made: (r) => r.statusCode === 303 } },
  ),
  pageTarget({ route: 'GET /register/sent', sessions: anonMostly }),
  pageTarget({ route: 'POST /register/resend', sessions: anonMostly, fields: { email } }),
  pageTarget({ route: 'GET /verify-email', sessions: anonMostly, query: { token: mailToken('verify_email') } }),
  // The confirmation button: the link's token is its CSRF proof, no _csrf field.
  pageTarget({
    route: 'POST /verify-email',
    sessions: anonMostly,
    csrf: false,
    fields: { token: mailToken('verify_email') },
  }),
  pageTarget({
    route: 'GET /interaction/:uid/resume',
    sessions: anonMostly,
    params: { uid: either([3, live('uid:plain')], plausible.token) },
    query: { service: either([2, fc.constant('elternbeitraege')], plausible.token) },
  }),
  pageTarget({ route: 'GET /forgot-password', sessions: anonMostly }),
  pageTarget({ route: 'POST /forgot-password', sessions: anonMostly, fields: { identifier } }),
  pageTarget({ route: 'GET /forgot-username', sessions: anonMostly }),
  pageTarget({ route: 'POST /forgot-username', sessions: anonMostly, fields: { identifier } }),
  pageTarget({ route: 'GET /reset-password', sessions: anonMostly, query: { token: mailToken('reset_password') } }),
  pageTarget({
    route: 'POST /reset-password',
    sessions: anonMostly,
    fields: { token: mailToken('reset_password'), password: newPassword, password2: newPassword },
  }),
  pageTarget({
    route: 'GET /confirm-email-change',
    sessions: { anon: 1, user: 3 },
    query: { token: mailToken('change_email') },
  }),
  pageTarget({ route: 'GET /means/lost', sessions: anonMostly }),
  pageTarget({ route: 'POST /means/lost', sessions: anonMostly, fields: { identifier } }),
  pageTarget({ route: 'GET /means/block', sessions: anonMostly, query: { token: mailToken('block_means') } }),
  pageTarget({
    route: 'POST /means/block',
    sessions: anonMostly,
    fields: { token: mailToken('block_means') },
    extraPairs: fc.array(fc.tuple(blockField, either([3, fc.constant('on')])), { maxLength: 3 }),
  }),
  pageTarget({ route: 'GET /dev/mail', sessions: anonMostly }),
  pageTarget({ route: 'GET /dev/sms', sessions: anonMostly }),
] as Target<never>[];
