import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { continueLogin } from '../../login/continue.ts';
import type { LoginFrontDoor, LoginPageRequest } from '../../login/front-door.ts';
import { inPersonHelps, levelGap, levelWays } from '../../login/level-gap.ts';
import { loginStep } from '../../login/next-step.ts';
import { refuseUnmet } from '../../login/refuse-unmet.ts';
import { forgetWaitingLogin, rememberWaitingLogin } from '../../login/waiting-login.ts';
import { AppError } from '../../platform/http/errors.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { levelPage } from './page.ts';

/**
 * `{base}/level` under each service's door (OIDC, SAML): the page that
 * explains a level the account cannot reach (issue 15, point 6). The login
 * waits: opened again once the gap is closed (the card linked, the app set
 * up), it goes on where it stopped. "Back to the service" answers as the
 * login always did (OIDC `unmet_authentication_requirements`, SAML
 * NoAuthnContext; login/refuse-unmet.ts).
 */
export function levelRoutes(app: AppContext, doors: readonly LoginFrontDoor[]) {
  async function load(door: LoginFrontDoor, request: LoginPageRequest, reply: FastifyReply) {
    const login = await door.load(request, reply);
    const session = request.sso;
    if (!session || !login.service) throw new AppError('interaction_expired');
    if (login.lang) request.lang = login.lang;
    const step = await loginStep(app, session, login.required, login.base);
    return { login, service: login.service, session, step };
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    for (const door of doors) {
      fastify.get<{ Params: { uid?: string } }>(`${door.prefix}/level`, async (request, reply) => {
        const { login, service, session, step } = await load(door, request, reply);
        if (step.kind !== 'unreachable') {
          forgetWaitingLogin(app, request, reply);
          return continueLogin(app, reply, login, session);
        }
        const { required, base } = login;
        const gap = await levelGap(app, session, { required, reachable: step.reachable, base });
        const p = pageContext(app, request, reply);
        const body = levelPage(p, {
          serviceName: service.displayName,
          gap,
          ways: levelWays(app, gap),
          inPerson: inPersonHelps(gap),
          action: `${base}/level`,
        });
        rememberWaitingLogin(app, reply, `${base}/level`);
        return sendPage(reply, p, p.t('level.title'), body);
      });

      fastify.post<{ Params: { uid?: string } }>(`${door.prefix}/level`, async (request, reply) => {
        const { login, session, step } = await load(door, request, reply);
        forgetWaitingLogin(app, request, reply);
        return refuseUnmet(app, login, session, step.kind === 'unreachable' ? step.reachable : session.level);
      });
    }
  };
}
