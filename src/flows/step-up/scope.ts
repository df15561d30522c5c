import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { meansMaximum, secondFactors } from '../../methods/second-factors.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Level } from '../../session/limits.ts';
import { requiredLevel } from '../../session/required-level.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { button, csrfField } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { loadInteraction } from '../login/interaction.ts';
import { takeReturn } from './account-return.ts';
import { continueInteraction } from './continue.ts';

export type ScopeRequest = FastifyRequest<{ Params: { uid?: string } }>;

/** Where a step-up stands: the session it starts from and what finishing it means. */
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
 * A step-up happens in two places with the same pages: inside a service's
 * login (an OIDC interaction) and on "Mein Konto", where the account's data
 * need a session that used a second factor, and changing the means one at
 * the account's maximum (TR-03160-1): the confirmation asks for the maximum,
 * which gives both.
 */
export interface StepUpScope {
  /** Fastify route prefix. */
  prefix: string;
  load(request: ScopeRequest, reply: FastifyReply): Promise<StepUpState>;
}

export function interactionScope(app: AppContext): StepUpScope {
  return {
    prefix: '/interaction/:uid',
    async load(request, reply) {
      const uid = request.params.uid ?? '';
      const details = await loadInteraction(app, request as FastifyRequest<{ Params: { uid: string } }>, reply);
      const session = request.sso;
      if (details.prompt.name !== 'login' || !session) throw new AppError('interaction_expired');
      const service = await app.services.byId(String(details.params.client_id));
      const serviceName = service?.displayName ?? String(details.params.client_id);
      const base = `/interaction/${uid}`;
      return {
        base,
        session,
        required: requiredLevel(details.params.acr_values, service?.minLevel ?? 1),
        serviceName,
        why: (p) => p.t('stepUp.why', { service: serviceName }),
        // Cancelling goes back to the service (access_denied).
        cancel: (p) => html`<form method="post" action="${base}/abort">${csrfField(p.csrfToken)}${button(p.t('login.cancel'), 'tertiary')}</form>`,
        done: (raised) => continueInteraction(app, request, reply, details, raised),
      };
    },
  };
}

export function accountScope(app: AppContext): StepUpScope {
  return {
    prefix: '/account/confirm',
    async load(request, reply) {
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      return {
        base: '/account/confirm',
        session,
        required: meansMaximum(await secondFactors(app.db, session.accountId)),
        why: (p) => p.t('stepUp.whyAccount'),
        cancel: (p) => html`<p class="kern-body"><a class="kern-link" href="/account">${p.t('form.cancel')}</a></p>`,
        // Back to where the citizen was when asked to confirm (account-return.ts).
        done: async () => reply.redirect(takeReturn(app, request, reply), 303),
      };
    },
  };
}
