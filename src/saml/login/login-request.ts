import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { guestOfferedSaml } from './guest-offer.ts';
import type { LoginAnswerer, LoginRefusal, LoginRequest } from '../../login/request.ts';
import type { SamlService } from '../../services/service-repository.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { status } from '../constants.ts';
import { scopeOfAttribute } from '../profile/attributes.ts';
import type { AuditEvent } from '../../audit/audit-log.ts';
import { answerFacts, answerService, missingRequired, type AnswerFacts } from './answer.ts';
import { shownName } from './context.ts';
import { storedBeforePage, type PendingSamlLogin } from './pending-login-repository.ts';

/** Consent groups a login releases: `openid` always, plus the groups of the requested attributes. */
export function requestedScopes(pending: PendingSamlLogin): string[] {
  return [...new Set(['openid', ...pending.request.requestedAttributes.map((a) => scopeOfAttribute(a.name))])].sort();
}

/** The SAML status of a refusal (saml-core §3.2.2.2; the messages are for the service's logs). */
function statusOf(refusal: Exclude<LoginRefusal, { kind: 'cancel' }>): { subStatus: string; message: string } {
  switch (refusal.kind) {
    case 'unmet':
      return { subStatus: status.noAuthnContext, message: 'level-unreachable' };
    case 'passive':
      return { subStatus: status.noPassive, message: refusal.reason };
    case 'attributes':
      // RequiredAttribute="true" the account cannot provide (PROFILES.md §1).
      return { subStatus: status.requestDenied, message: `required-attribute-missing:${refusal.missing.join(',')}` };
  }
}

/**
 * How a SAML login answers: a Response with the requested attributes, after
 * the required ones are there and the citizen consented to their groups;
 * a refusal is a Response with its status. Cancelling goes to the request's
 * BackURL when it gave one (AKDB DisplayInformation), else AuthnFailed.
 */
export function samlAnswerer(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pending: PendingSamlLogin,
  service: SamlService,
): LoginAnswerer {
  // What the checks and the answer need, read once when the first of them asks (issue 16).
  let read: { session: SsoSession; facts: Promise<AnswerFacts> } | undefined;
  const facts = (session: SsoSession) =>
    read?.session === session ? read.facts : (read = { session, facts: answerFacts(app, service, session) }).facts;
  const accept = async (session: SsoSession, events?: readonly AuditEvent[]) => {
    const { release } = await facts(session);
    return answerService(app, request, reply, pending, service, { ok: true, session, release }, events);
  };
  return {
    secondFactorWish: async (session) => (await facts(session)).wish,
    missingAttributes: async (session) => missingRequired(pending, (await facts(session)).release),
    async consented(session) {
      const granted = (await facts(session)).consent ?? [];
      return requestedScopes(pending).every((scope) => granted.includes(scope));
    },
    accept: (session) => accept(session),
    acceptAuditing: accept,
    async refuse(refusal) {
      if (refusal.kind !== 'cancel')
        return answerService(app, request, reply, pending, service, {
          ok: false,
          status: status.responder,
          ...statusOf(refusal),
        });
      const backUrl = pending.request.backUrl;
      if (!backUrl)
        return answerService(app, request, reply, pending, service, {
          ok: false,
          status: status.responder,
          subStatus: status.authnFailed,
          message: 'cancelled',
        });
      await app.db.transaction((tx) => app.saml.pending.complete(tx, pending.uid));
      return reply.redirect(backUrl, 303);
    },
  };
}

/** The login of a pending SAML request (its AuthnRequest, checked, in `pending.request`). */
export function samlLoginRequest(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pending: PendingSamlLogin,
  service: SamlService,
): LoginRequest {
  const r = pending.request;
  const base = `/saml/login/${pending.uid}`;
  return {
    service: { id: service.id, displayName: shownName(pending, service), operator: service.operator ?? undefined },
    required: r.requiredLevel,
    allowedMethods: r.allowedMethods,
    passive: r.isPassive,
    // ForceAuthn: a login made after the request arrived (saml-core §3.4.1).
    forceAfter: r.forceAuthn ? new Date(r.receivedAt) : undefined,
    lang: r.lang,
    base,
    cancel: { kind: 'form', action: `${base}/abort` },
    returnTo: base,
    guest: guestOfferedSaml(app, pending, service, request.sso !== undefined),
    beforePage: () => storedBeforePage(pending),
    answer: samlAnswerer(app, request, reply, pending, service),
  };
}
