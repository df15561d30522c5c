import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { guestOfferedOidc } from './guest-offer.ts';
import { continueLogin } from '../login/continue.ts';
import type { LoginFrontDoor } from '../login/front-door.ts';
import type { LoginAnswerer, LoginRefusal, LoginRequest } from '../login/request.ts';
import { AppError } from '../platform/http/errors.ts';
import { requiredLevel } from '../session/required-level.ts';
import { showConsent } from './consent.ts';
import { finishOidcLogin } from './finish-login.ts';
import { finishInteraction, interactionLoaded, loadInteraction, type Interaction } from './interaction.ts';

// Reasons our SSO session alone answers; anything else (prompt=login, max_age) asks again.
const answeredBySso = new Set(['no_session', 'sso_session_mismatch', 'acr_too_low']);

/** OpenID Connect Core 1.0 §3.1.2.6 errors; descriptions are for the service's developers, never shown to citizens. */
function errorOf(refusal: LoginRefusal): { error: string; error_description: string } {
  switch (refusal.kind) {
    case 'unmet':
      // OpenID Connect Core 1.0 errata set 2, §3.1.2.6.
      return {
        error: 'unmet_authentication_requirements',
        error_description: `The account cannot reach the requested trust level (${refusal.required}); its identity data or means reach ${refusal.reachable}.`,
      };
    case 'cancel':
      return {
        error: 'access_denied',
        error_description: 'The citizen cancelled the login or declined the release of data.',
      };
    default:
      // An OIDC login is never passive here (prompt=none never reaches our pages) and requires no attributes.
      throw new Error(`no OIDC answer for the refusal ${refusal.kind}`);
  }
}

/**
 * How an interaction answers: the login goes to oidc-provider, which asks
 * for consent itself (its `consent` prompt, our page, a grant); attributes
 * are released by scope, never required.
 */
export function oidcAnswerer(app: AppContext, request: FastifyRequest, reply: FastifyReply): LoginAnswerer {
  return {
    accept: async (session) => reply.redirect(await finishOidcLogin(app, request, reply, session), 303),
    // The interaction's result is stored with the session: the browser goes on only once both are.
    acceptInTransaction: async (session, tx) => {
      // Only on the interaction this request read: storing its result then makes no read of its own.
      if (!interactionLoaded(request)) return undefined;
      const target = await finishOidcLogin(app, request, reply, session, tx);
      return async () => reply.redirect(target, 303);
    },
    refuse: async (refusal) => reply.redirect(await finishInteraction(app, request, reply, errorOf(refusal)), 303),
  };
}

/** The login of an interaction at its `login` prompt. */
export async function oidcLoginRequest(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  details: Interaction,
): Promise<LoginRequest> {
  const clientId = String(details.params.client_id);
  const service = await app.services.byId(clientId);
  const base = `/interaction/${details.uid}`;
  return {
    service: { id: clientId, displayName: service?.displayName ?? clientId, operator: service?.operator ?? undefined },
    required: requiredLevel(details.params.acr_values, service?.minLevel ?? 1),
    allowedMethods: undefined,
    passive: false,
    forceAfter: undefined,
    lang: undefined,
    base,
    cancel: { kind: 'form', action: `${base}/abort` },
    returnTo: base,
    guest: guestOfferedOidc(app, service, request.sso !== undefined),
    beforePage: async () => undefined,
    answer: oidcAnswerer(app, request, reply),
  };
}

/** The OIDC front door: the pages of an oidc-provider interaction, under /interaction/<uid>. */
export function oidcFrontDoor(app: AppContext): LoginFrontDoor {
  return {
    prefix: '/interaction/:uid',
    rememberDevice: true,
    async load(request, reply) {
      const details = await loadInteraction(app, request, reply);
      if (details.prompt.name !== 'login') throw new AppError('interaction_expired');
      return oidcLoginRequest(app, request, reply, details);
    },
    async landing(request, reply, page, show) {
      const details = await loadInteraction(app, request, reply);
      if (page === 'password')
        return details.prompt.name === 'login' ? show() : reply.redirect(`/interaction/${details.uid}`, 303);
      if (details.prompt.name === 'consent') return showConsent(app, request, reply, details);
      if (details.prompt.name !== 'login') throw new AppError('interaction_expired');
      const session = request.sso;
      if (session && details.prompt.reasons.every((r) => answeredBySso.has(r)))
        return continueLogin(app, reply, await oidcLoginRequest(app, request, reply, details), session);
      return show();
    },
  };
}
