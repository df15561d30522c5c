import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { AppError } from '../platform/http/errors.ts';
import type { Level } from '../session/limits.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import type { SafeHtml } from '../web/html.ts';
import type { PageContext } from '../web/layout.ts';
import { cancelControl } from './cancel.ts';
import { finishLogin } from './continue.ts';
import type { LoginFrontDoor, LoginPageRequest } from './front-door.ts';
import type { LoginRequest } from './request.ts';

/**
 * Where a login page (a step-up, or "Mein Konto"'s confirmation) stands: the session it starts from and what finishing
 * it means (a view of a `LoginRequest`).
 */
export interface LoginPageState {
  /** The concrete URL prefix of this step-up's pages. */
  base: string;
  session: SsoSession;
  /** The means level that must be reached. */
  required: Level;
  /** The service asking, inside a login. */
  serviceName?: string;
  /** One sentence on why the second factor is asked for. */
  why: (p: PageContext) => string;
  /** The way out without finishing. */
  cancel: (p: PageContext) => SafeHtml;
  /** After the second factor raised the session: on to where the citizen was going. */
  done: (session: SsoSession) => Promise<FastifyReply>;
}

/**
 * The same step-up pages serve every login (OIDC, SAML) and "Mein Konto"'s
 * confirmation: one scope per front door, each a prefix and the door's
 * `LoginRequest` seen from the step-up pages.
 */
export interface LoginPageScope {
  /** Fastify route prefix. */
  prefix: string;
  load(request: LoginPageRequest, reply: FastifyReply): Promise<LoginPageState>;
}

/** The step-up pages' view of a login: finishing runs the login's pipeline (login/continue.ts). */
export function loginPageState(
  app: AppContext,
  reply: FastifyReply,
  login: LoginRequest,
  session: SsoSession,
): LoginPageState {
  const name = login.service?.displayName;
  return {
    base: login.base,
    session,
    required: login.required,
    ...(name !== undefined && { serviceName: name }),
    why: (p) => (name !== undefined ? p.t('stepUp.why', { service: name }) : p.t('stepUp.whyAccount')),
    cancel: (p) => cancelControl(p, login.cancel),
    done: (raised) => finishLogin(app, reply, login, raised),
  };
}

/** The step-up pages under a login front door's prefix; a step-up needs the session it raises. */
export function stepUpScopeOf(app: AppContext, door: LoginFrontDoor): LoginPageScope {
  return {
    prefix: door.prefix,
    async load(request, reply) {
      const login = await door.load(request, reply);
      const session = request.sso;
      if (!session) throw new AppError('interaction_expired');
      return loginPageState(app, reply, login, session);
    },
  };
}
