/**
 * "Mein Konto": its section pages and their forms (profile, password, e-mail, sessions,
 * services, export, deletion, whether niedrig logins ask for the second
 * factor), the means (authenticator app, recovery codes,
 * security keys, SMS; rename, remove, block) and the step-up pages under
 * /account/confirm. Mostly in the fuzz account's logged-in browser.
 */
import fc from 'fast-check';
import { attributeNames } from '../../../src/identity/attributes.ts';
import { either, live } from '../inputs.ts';
import type { Text } from '../request.ts';
import { pageTarget, type Target } from '../target.ts';
import { plausible } from '../values.ts';
import { newPassword, password, stepUpTargets, totpCode, webauthnResponse } from './common.ts';

const userMostly = { anon: 1, user: 6 } as const;
const meansId = either([4, live('means', 'id')], live('means', 'password'), plausible.uuid);
const profileFields: Record<string, fc.Arbitrary<Text>> = Object.fromEntries(
  attributeNames.map((name) => [
    name,
    either([
      2,
      name === 'birthdate'
        ? plausible.date
        : name === 'phone_number'
          ? plausible.phone
          : fc.constantFrom('DE', 'Erika', 'Musterstraße 1', '12345', 'de'),
    ]),
  ]),
);

export const accountTargets: Target<never>[] = [
  pageTarget({ route: 'GET /account', sessions: userMostly }),
  pageTarget({ route: 'POST /account/profile', sessions: userMostly, fields: profileFields }),
  pageTarget({
    route: 'POST /account/password',
    sessions: userMostly,
    fields: { current_password: password, new_password: newPassword },
  }),
  pageTarget({
    route: 'POST /account/email',
    sessions: userMostly,
    fields: { new_email: either([3, plausible.email]), email_password: password },
  }),
  pageTarget({
    route: 'POST /account/second-factor-login',
    sessions: userMostly,
    fields: { password_enough: either([3, fc.constantFrom('yes', 'no')]) },
  }),
  pageTarget({
    route: 'POST /account/services/revoke',
    sessions: userMostly,
    fields: { service: either([3, fc.constantFrom('fuzz', 'fuzz-public', 'https://service.example/saml')]) },
  }),
  // The sections of "Mein Konto" (issue 15, point 2) and the sessions' forms.
  ...['profile', 'security', 'sessions', 'services', 'data'].map((section) =>
    pageTarget({ route: `GET /account/${section}`, sessions: userMostly }),
  ),
  pageTarget({
    route: 'POST /account/sessions/end',
    sessions: userMostly,
    fields: { session: either([3, fc.stringMatching(/^[0-9a-f]{32}$/)]) },
  }),
  pageTarget({ route: 'POST /account/sessions/end-others', sessions: userMostly }),
  pageTarget({ route: 'GET /account/export', sessions: userMostly }),
  pageTarget(
    { route: 'POST /account/delete', sessions: userMostly, fields: { delete_password: password } },
    { accounts: { removed: (r) => r.statusCode === 303 || r.statusCode === 200 } },
  ),
  pageTarget({ route: 'POST /account/recovery-codes', sessions: userMostly, fields: { renew_password: password } }),
  ...['/recovery-codes/download', '/recovery-codes/print'].map((path) =>
    pageTarget({
      route: `POST ${path}`,
      sessions: userMostly,
      fields: { codes: either([2, fc.constantFrom('ABCDE-FGHJK', 'ABCDE-FGHJK ABCDE-FGHJK', '')]) },
    }),
  ),
  pageTarget({ route: 'GET /account/totp/setup', sessions: userMostly }),
  pageTarget({ route: 'POST /account/totp/setup', sessions: userMostly, fields: { code: totpCode } }),
  pageTarget({ route: 'POST /account/webauthn/options', sessions: userMostly }),
  pageTarget({
    route: 'POST /account/webauthn',
    sessions: userMostly,
    fields: { key_name: either([2, fc.constantFrom('Schlüssel', '')]), response: webauthnResponse },
  }),
  pageTarget({ route: 'POST /account/sms', sessions: userMostly, fields: { phone: either([3, plausible.phone]) } }),
  pageTarget({ route: 'GET /account/sms/confirm', sessions: userMostly, query: { x: live('smsPending') } }),
  pageTarget({ route: 'POST /account/sms/resend', sessions: userMostly }),
  pageTarget({
    route: 'POST /account/sms/confirm',
    sessions: userMostly,
    fields: { tan: either([3, live('smsTan')], plausible.code), cancel: fc.constantFrom('1', '') },
  }),
  pageTarget({
    route: 'POST /account/means/rename',
    sessions: userMostly,
    fields: { means_id: meansId, means_name: either([2, fc.constantFrom('Handy', '')]) },
  }),
  pageTarget({
    route: 'POST /account/means/remove',
    sessions: userMostly,
    fields: { means_id: meansId, means_password: password },
  }),
  pageTarget({ route: 'POST /account/means/block', sessions: userMostly, fields: { means_id: meansId } }),
  pageTarget({ route: 'GET /account/confirm', sessions: userMostly }),
  ...stepUpTargets('/account/confirm', {}, userMostly),
] as Target<never>[];
