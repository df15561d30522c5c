import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { identityLevel, requiredLevel } from '../../session/required-level.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { finishOidcLogin } from '../login/complete-login.ts';
import type { Interaction } from '../login/interaction.ts';
import { enrolmentRules } from './enrolment.ts';
import { factorPath, usableFactors } from './factors.ts';

/**
 * After any login step inside an interaction: done when the session reaches
 * the level the service needs; otherwise ask only for what is missing (a
 * second factor that reaches the level, or setting up a software token when
 * there is none); and when the account cannot get there at all, tell the
 * service so (`unmet_authentication_requirements`, OpenID Connect Core 1.0
 * errata set 2, §3.1.2.6).
 */
export async function continueInteraction(app: AppContext, request: FastifyRequest, reply: FastifyReply, details: Interaction, session: SsoSession): Promise<FastifyReply> {
  const service = await app.services.byId(String(details.params.client_id));
  const required = requiredLevel(details.params.acr_values, service?.minLevel ?? 1);
  if (session.level >= required) return reply.redirect(await finishOidcLogin(app, request, reply, session), 303);

  const base = `/interaction/${details.uid}`;
  const identity = identityLevel(await app.attributes.forAccount(session.accountId));
  let reachable = Math.min(identity, session.meansLevel);
  if (identity >= required) {
    const next = factorPath(base, await usableFactors(app, session.accountId, required));
    if (next) return reply.redirect(next, 303);
    const rules = await enrolmentRules(app, session, 'totp');
    if (rules.allowed && rules.level >= required && !(await app.methods.totp.hasConfirmed(app.db, session.accountId))) return reply.redirect(`${base}/totp/setup`, 303);
    reachable = Math.min(identity, Math.max(session.meansLevel, rules.allowed ? rules.level : 0));
  }
  await app.audit.record(app.db, { actor: `account:${session.accountId}`, action: 'login.level_unmet', subject: `service:${String(details.params.client_id)}`, outcome: 'failure', details: { required, reachable } });
  const target = await app.provider.interactionResult(
    request.raw,
    reply.raw,
    { error: 'unmet_authentication_requirements', error_description: `The account cannot reach the requested trust level (${required}); its identity data or means reach ${reachable}.` },
    { mergeWithLastSubmission: false },
  );
  return reply.redirect(target, 303);
}
