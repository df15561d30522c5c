import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { startSession } from '../../flows/login/complete-login.ts';
import { startAndFinishLogin } from '../../login/continue.ts';
import type { LoginFrontDoor, LoginPageRequest } from '../../login/front-door.ts';
import type { LoginRequest } from '../../login/request.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import type { MethodDoors } from '../method.ts';
import { perAddress } from '../password/throttle.ts';
import { parseCeremonyResponse } from '../webauthn/ceremony.ts';
import type { PasskeyChallenges } from './challenge.ts';
import { passkeyInfo } from './info.ts';
import { passkeyPage } from './page.ts';
import { useChallenge } from './passkey-repository.ts';

/** Long enough for a citizen who opens the password page and only later picks the passkey from the autofill. */
const challengeSeconds = 10 * 60;

const invalid: FieldError[] = [{ field: 'passkey', message: 'passkey.invalid' }];

/**
 * The passkey login under every login door (stand-alone, OIDC, SAML): its page, a challenge for the script, and the
 * answer, which starts the session and runs the login's pipeline like any first factor (login/continue.ts).
 */
export function passkeyRoutes(
  app: AppContext,
  doors: MethodDoors,
  deps: { challenges: PasskeyChallenges; clock: Clock },
) {
  const { webauthn } = app.methods;
  const allows = (login: LoginRequest, id: string) => !login.allowedMethods || login.allowedMethods.includes(id);
  const offered = (login: LoginRequest) => {
    if (!allows(login, passkeyInfo.id)) throw new AppError('not_found');
  };

  function show(request: LoginPageRequest, reply: FastifyReply, login: LoginRequest, errors: FieldError[] = []) {
    // The service's language wins for its login's pages (AKDB `Lang`), as on the password page.
    if (login.lang) request.lang = login.lang;
    const p = pageContext(app, request, reply);
    const body = passkeyPage(p, login, { passwordOffered: allows(login, 'password'), errors });
    return sendPage(reply, p, p.t('passkey.title'), body, errors.length > 0 ? 400 : 200);
  }

  /** The client data's challenge: one we made, still live, and not used before (WebAuthn §13.4.3). */
  const freshChallenge = (tx: Parameters<typeof useChallenge>[0]) => async (challenge: string) => {
    const expiresAt = deps.challenges.check(challenge, deps.clock.now());
    return expiresAt !== undefined && (await useChallenge(tx, challenge, expiresAt));
  };

  function doorRoutes(fastify: FastifyInstance, door: LoginFrontDoor) {
    fastify.get<{ Params: { uid?: string } }>(`${door.prefix}/passkey`, (request, reply) =>
      door.landing(request, reply, 'password', async () => {
        const login = await door.load(request, reply);
        offered(login);
        return show(request, reply, login);
      }),
    );

    fastify.post<{ Params: { uid?: string } }>(`${door.prefix}/passkey/options`, async (request, reply) => {
      offered(await door.load(request, reply));
      const challenge = deps.challenges.make(new Date(deps.clock.now().getTime() + challengeSeconds * 1000));
      return reply.header('cache-control', 'no-store').send(await webauthn.discoverableOptions(challenge));
    });

    fastify.post<{ Params: { uid?: string } }>(`${door.prefix}/passkey`, async (request, reply) => {
      const form = readForm(request.body);
      const login = await door.load(request, reply);
      offered(login);
      // A signature cannot be guessed; this only keeps one address from making the server verify without end.
      const key = `passkey:ip:${request.ip}`;
      await app.loginThrottle.attempt([{ key, policy: perAddress }]);
      const response = parseCeremonyResponse<AuthenticationResponseJSON>(form.response);
      const result =
        response &&
        (await app.db.transaction((tx) => webauthn.authenticateDiscoverable(tx, response, freshChallenge(tx))));
      const account = result && (await app.accounts.byId(result.accountId));
      // The same conditions as the password's (methods/password): an active account whose address is confirmed.
      if (!result || !account || account.state !== 'active' || !account.emailVerifiedAt)
        return show(request, reply, login, invalid);
      // The passkey's own level (DESIGN.md §3: substanziell, or less for a key the citizen added in a weaker
      // session after a lost means); startSession caps it by the level of the account's identity data. The
      // throttle's success is written with the session (issue 16: one transaction).
      const meansLevel = Math.min(passkeyInfo.level, result.level) as typeof result.level;
      return startAndFinishLogin(
        app,
        reply,
        login,
        (work) => startSession(app, request, reply, account.id, meansLevel, [...passkeyInfo.amr], 'passkey', work),
        [app.loginThrottle.succeededPiece([key])],
      );
    });
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    for (const door of doors.login) doorRoutes(fastify, door);
  };
}
