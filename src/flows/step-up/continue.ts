import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { requiredLevel } from '../../session/required-level.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { finishOidcLogin } from '../login/complete-login.ts';
import type { Interaction } from '../login/interaction.ts';
import { loginStep } from './next-step.ts';

/**
 * After any login step inside an interaction: done when the session reaches
 * the level the service needs, with the account's second factor when it has
 * one (next-step.ts `loginStep`); otherwise ask only for what is missing (a
 * second factor that reaches the level, or setting up a software token when
 * there is none); and when the account cannot get there at all, tell the
 * service so (`unmet_authentication_requirements`, OpenID Connect Core 1.0
 * errata set 2, §3.1.2.6).
 */
export async function continueInteraction(app: AppContext, request: FastifyRequest, reply: FastifyReply, details: Interaction, session: SsoSession): Promise<FastifyReply> {
  const service = await app.services.byId(String(details.params.client_id));
  const required = requiredLevel(details.params.acr_values, service?.minLevel ?? 1);
  const step = await loginStep(app, session, required, `/interaction/${details.uid}`);
  if (step.kind === 'done') return reply.redirect(await finishOidcLogin(app, request, reply, session), 303);
  if (step.kind === 'page') return reply.redirect(step.path, 303);
  const { reachable } = step;
  await app.audit.record(app.db, { actor: `account:${session.accountId}`, action: 'login.level_unmet', subject: `service:${String(details.params.client_id)}`, outcome: 'failure', details: { required, reachable } });
  const target = await app.provider.interactionResult(
    request.raw,
    reply.raw,
    { error: 'unmet_authentication_requirements', error_description: `The account cannot reach the requested trust level (${required}); its identity data or means reach ${reachable}.` },
    { mergeWithLastSubmission: false },
  );
  return reply.redirect(target, 303);
}
