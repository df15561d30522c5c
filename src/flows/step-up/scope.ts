import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cancelControl } from '../../login/cancel.ts';
import { finishLogin } from '../../login/continue.ts';
import type { LoginFrontDoor } from '../../login/front-door.ts';
import type { LoginRequest } from '../../login/request.ts';
import { oidcFrontDoor } from '../../oidc/login-request.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Level } from '../../session/limits.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import type { SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { accountLoginRequest } from '../login/account-request.ts';

export type ScopeRequest = FastifyRequest<{ Params: { uid?: string } }>;

/** Where a step-up stands: the session it starts from and what finishing it means (a view of a `LoginRequest`). */
export interface StepUpState {
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
export interface StepUpScope {
  /** Fastify route prefix. */
  prefix: string;
  load(request: ScopeRequest, reply: FastifyReply): Promise<StepUpState>;
}

/** The step-up pages' view of a login: finishing runs the login's pipeline (login/continue.ts). */
export function stepUpState(app: AppContext, reply: FastifyReply, login: LoginRequest, session: SsoSession): StepUpState {
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
export function stepUpScopeOf(app: AppContext, door: LoginFrontDoor): StepUpScope {
  return {
    prefix: door.prefix,
    async load(request, reply) {
      const login = await door.load(request, reply);
      const session = request.sso;
      if (!session) throw new AppError('interaction_expired');
      return stepUpState(app, reply, login, session);
    },
  };
}

/** "Mein Konto"'s confirmation (flows/login/account-request.ts). */
export function accountScope(app: AppContext): StepUpScope {
  return {
    prefix: '/account/confirm',
    async load(request, reply) {
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      return stepUpState(app, reply, await accountLoginRequest(app, request, reply, session), session);
    },
  };
}

/**
 * @deprecated Kept until the step-up pages take front doors: `stepUpScopeOf(app, oidcFrontDoor(app))`.
 */
export function interactionScope(app: AppContext): StepUpScope {
  return stepUpScopeOf(app, oidcFrontDoor(app));
}
