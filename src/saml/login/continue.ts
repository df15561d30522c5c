import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { loginStep } from '../../flows/step-up/next-step.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import type { SamlService } from '../../services/services.ts';
import { status } from '../constants.ts';
import { scopeOfAttribute } from '../profile/attributes.ts';
import { answerService, releaseContext, missingRequired } from './answer.ts';
import { storedBeforePage, type PendingSamlLogin, type SamlLoginRequest } from './pending.ts';

/** Consent groups a login releases: `openid` always, plus the groups of the requested attributes. */
export function requestedScopes(pending: PendingSamlLogin): string[] {
  return [...new Set(['openid', ...pending.request.requestedAttributes.map((a) => scopeOfAttribute(a.name))])].sort();
}

/**
 * After any step of a SAML login, the same order as for OIDC
 * (flows/step-up/continue.ts): the level first (step-up for only what is
 * missing, or NoAuthnContext when the account cannot get there), then the
 * required attributes (RequestDenied, PROFILES.md §1), then consent, then
 * the Response. IsPassive answers NoPassive wherever a page would be needed.
 */
/**
 * Whether the browser's session may answer this request without a new login:
 * ForceAuthn wants a login made after the request (saml-core §3.4.1); AKDB
 * AuthnMethods want a session begun with an allowed method (a password
 * session is not an eID login).
 */
export function sessionAnswers(request: SamlLoginRequest, session: SsoSession | undefined): session is SsoSession {
  if (!session) return false;
  if (request.forceAuthn && session.authTime.getTime() < new Date(request.receivedAt).getTime()) return false;
  return !request.allowedMethods || request.allowedMethods.includes(session.method);
}

export async function continueSamlLogin(app: AppContext, request: FastifyRequest, reply: FastifyReply, pending: PendingSamlLogin, service: SamlService, session: SsoSession): Promise<FastifyReply> {
  const r = pending.request;
  const base = `/saml/login/${pending.uid}`;
  const passive = (message: string) => answerService(app, request, reply, pending, service, { ok: false, status: status.responder, subStatus: status.noPassive, message });

  // ForceAuthn (saml-core §3.4.1) and AKDB AuthnMethods, on every path that answers (consent, step-up,
  // a login just made): a session that cannot answer this request goes back to the method choice.
  if (!sessionAnswers(r, session)) {
    if (r.isPassive) return passive('login-needed');
    await storedBeforePage(pending);
    return reply.redirect(base, 303);
  }

  // The level, and the account's second factor where it has one (issue 13, point 2).
  const step = await loginStep(app, session, r.requiredLevel, base);
  if (step.kind !== 'done') {
    if (step.kind === 'page') {
      if (r.isPassive) return passive('step-up-needed');
      await storedBeforePage(pending);
      return reply.redirect(step.path, 303);
    }
    await app.audit.record(app.db, { actor: `account:${session.accountId}`, action: 'login.level_unmet', subject: `service:${service.id}`, outcome: 'failure', details: { required: r.requiredLevel, reachable: step.reachable } });
    return answerService(app, request, reply, pending, service, { ok: false, status: status.responder, subStatus: status.noAuthnContext, message: 'level-unreachable' });
  }

  const ctx = await releaseContext(app, service, session);
  const missing = missingRequired(pending, ctx);
  if (missing.length > 0) {
    return answerService(app, request, reply, pending, service, { ok: false, status: status.responder, subStatus: status.requestDenied, message: `required-attribute-missing:${missing.join(',')}` });
  }

  const granted = (await app.consents.active(session.accountId, service.id)) ?? [];
  if (!requestedScopes(pending).every((scope) => granted.includes(scope))) {
    if (r.isPassive) return passive('consent-needed');
    await storedBeforePage(pending);
    return reply.redirect(`${base}/consent`, 303);
  }
  return answerService(app, request, reply, pending, service, { ok: true, session, release: ctx });
}
