import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { startAndFinishLogin } from '../../login/continue.ts';
import type { LoginFrontDoor, LoginPageRequest } from '../../login/front-door.ts';
import { reachingFirst } from '../../login/reaching-first.ts';
import type { LoginRequest } from '../../login/request.ts';
import { loginAttempt } from '../../methods/password/device-cookie.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { takeActivatedNotice } from '../registration/activated-notice.ts';
import { startSession } from './complete-login.ts';
import { methodChoicePage, passwordPage, type LoginContext } from './page.ts';

function contextOf(login: LoginRequest, activated = false): LoginContext {
  return {
    activated,
    base: login.base,
    cancellable: login.cancel.kind === 'form',
    serviceName: login.service?.displayName,
    returnTo: login.returnTo,
    guestHref: login.guest ? `${login.base}/guest/eid` : undefined,
  };
}

/**
 * The method choice and the password form, registered once per front door
 * (stand-alone /login, /interaction/<uid>, /saml/login/<uid>): the door's
 * login request says which service asks, which methods it allows (AKDB
 * AuthnMethods: `Benutzername` is our password login), the language and
 * the way out.
 */
export function loginRoutes(app: AppContext, doors: readonly LoginFrontDoor[]) {
  const offered = (login: LoginRequest) =>
    app.methods.all.filter((m) => !login.allowedMethods || login.allowedMethods.includes(m.id));
  /** The request's language wins for this login's pages (AKDB `Lang`). */
  const page = (request: LoginPageRequest, reply: FastifyReply, login: LoginRequest) => {
    if (login.lang) request.lang = login.lang;
    return pageContext(app, request, reply);
  };
  /** The offered methods' parts of the password page (the passkey's button and autofill). */
  const addOnsFor = (p: PageContext, login: LoginRequest) => {
    const ids = new Set(offered(login).map((m) => m.id));
    const to = { base: login.base, returnTo: login.cancel.kind === 'form' ? undefined : login.returnTo };
    return app.methods.list.flatMap((m) =>
      m.available && ids.has(m.id) && m.passwordPageAddOn ? [m.passwordPageAddOn(p, to)] : [],
    );
  };
  const passwordOffered = (login: LoginRequest) => {
    if (!offered(login).some((m) => m.id === 'password')) throw new AppError('not_found');
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    for (const door of doors) {
      fastify.get<{ Params: { uid?: string } }>(door.prefix, (request, reply) =>
        door.landing(request, reply, 'choice', async () => {
          const login = await door.load(request, reply);
          const p = page(request, reply, login);
          const activated = takeActivatedNotice(request, reply, app.config.production);
          const methods = reachingFirst(offered(login), app.methods.list, login.required);
          return sendPage(reply, p, p.t('login.title'), methodChoicePage(p, contextOf(login, activated), methods));
        }),
      );

      fastify.get<{ Params: { uid?: string } }>(`${door.prefix}/password`, (request, reply) =>
        door.landing(request, reply, 'password', async () => {
          const login = await door.load(request, reply);
          passwordOffered(login);
          const p = page(request, reply, login);
          const activated = takeActivatedNotice(request, reply, app.config.production);
          const addOns = addOnsFor(p, login);
          return sendPage(reply, p, p.t('login.title'), passwordPage(p, contextOf(login, activated), { addOns }));
        }),
      );

      fastify.post<{ Params: { uid?: string } }>(`${door.prefix}/password`, async (request, reply) => {
        const form = readForm(request.body);
        const login = await door.load(request, reply);
        passwordOffered(login);
        const attempt = door.rememberDevice
          ? loginAttempt(request, reply, app.cookies, app.config.production)
          : { ip: request.ip };
        const result = await app.methods.password.authenticate(form, attempt);
        if (!result.ok) {
          const p = page(request, reply, login);
          return sendPage(
            reply,
            p,
            p.t('login.title'),
            passwordPage(p, contextOf(login), {
              values: result.values,
              errors: result.errors,
              addOns: addOnsFor(p, login),
            }),
            400,
          );
        }
        return startAndFinishLogin(
          app,
          reply,
          login,
          (work) => startSession(app, request, reply, result.accountId, result.level, result.amr, 'password', work),
          result.writes,
        );
      });
    }
  };
}
