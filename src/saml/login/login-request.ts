import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { guestOfferedSaml } from './guest-offer.ts';
import type { LoginAnswerer, LoginRefusal, LoginRequest } from '../../login/request.ts';
import type { SamlService } from '../../services/service-repository.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { status } from '../constants.ts';
import type { ReleaseContext } from '../profile/attributes.ts';
import { scopeOfAttribute } from '../profile/attributes.ts';
import { answerService, missingRequired, releaseContext } from './answer.ts';
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
  // What the checks read, so the answer does not read it again.
  let read: { session: SsoSession; release: ReleaseContext } | undefined;
  const release = async (session: SsoSession) =>
    read?.session === session
      ? read.release
      : (read = { session, release: await releaseContext(app, service, session) }).release;
  return {
    missingAttributes: async (session) => missingRequired(pending, await release(session)),
    async consented(session) {
      const granted = (await app.consents.active(session.accountId, service.id)) ?? [];
      return requestedScopes(pending).every((scope) => granted.includes(scope));
    },
    accept: async (session) =>
      answerService(app, request, reply, pending, service, { ok: true, session, release: await release(session) }),
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
