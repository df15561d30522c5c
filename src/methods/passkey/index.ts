import type { Clock } from '../../platform/clock.ts';
import type { AuthenticationMethod } from '../method.ts';
import { passkeyChallenges } from './challenge.ts';
import { passkeyInfo } from './info.ts';
import { passwordPageAddOn } from './page.ts';
import { deleteExpiredChallenges } from './passkey-repository.ts';
import { passkeyRoutes } from './routes.ts';

/**
 * Logging in with a passkey instead of the password (issue 15, point 8): a first factor on the method choice, a
 * button and the browser's autofill on the password page, under every login door. The credentials are the ones
 * added on "Mein Konto" as security keys or passkeys (methods/webauthn), which stay a second factor as well.
 */
export function passkeyMethod(deps: { clock: Clock; key: string }): AuthenticationMethod {
  const challenges = passkeyChallenges(deps.key);
  return {
    ...passkeyInfo,
    amr: [...passkeyInfo.amr],
    available: true,
    choice: { title: 'passkey.title', hint: 'passkey.hint' },
    routes: (app, doors) => passkeyRoutes(app, doors, { challenges, clock: deps.clock }),
    passwordPageAddOn: (p, to) => ({ autocomplete: 'webauthn', html: passwordPageAddOn(p, to) }),
    housekeeping: deleteExpiredChallenges,
  };
}
