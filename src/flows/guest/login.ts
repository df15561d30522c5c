/**
 * Exports `oidcGuestLogin(app, request, reply)`, `samlGuestLogin(app,
 * request, reply)` and the type `GuestLogin`: a guest login inside one service's
 * login (design notes §6 Guest login), in the terms both protocols share.
 *
 * Loading refuses (404) where the service does not offer it (offer.ts), so
 * the routes do not exist for other services. `release` runs inside the
 * database transaction that takes the reading, and answers what is sent
 * after the commit:
 * - OIDC: the claims are kept sealed for the tokens (claims-store.ts); the
 *   interaction ends with a login for a random `guest:` id, `remember:
 *   false`, and the grant of this consent, which is stored nowhere else (no
 *   account, no `sso_sessions` row, no SSO cookie, no `consents` row).
 * - SAML: the Response with a transient NameID and the card's attributes,
 *   or RequestDenied for a required attribute the citizen deselected.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { eidAmr } from '../../methods/eid/service.ts';
import type { UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import type { EidReading } from '../../methods/eid/transactions.ts';
import { acrByLevel } from '../../oidc/acr.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import { status } from '../../saml/constants.ts';
import { answerService } from '../../saml/login/answer.ts';
import { loadPendingLogin, shownName, type SamlLoginRequest } from '../../saml/login/context.ts';
import { answerGuest } from '../../saml/login/guest-answer.ts';
import type { Level } from '../../session/limits.ts';
import { requiredLevel } from '../../session/required-level.ts';
import { loadInteraction } from '../../oidc/interaction.ts';
import { guestClaimsStore, newGuestId } from './claims-store.ts';
import { forgetEarlierGuest } from './oidc.ts';
import { guestOfferedOidc, guestOfferedSaml } from './offer.ts';
import { guestSamlRequest, guestOidcRequest } from './read-request.ts';
import { guestOidcClaims, guestRows, guestSamlAttributes, type GuestRow } from './release.ts';

export interface GuestLogin {
  /** The login's base: /interaction/<uid> or /saml/login/<uid>. */
  base: string;
  serviceName: string;
  operator: string | undefined;
  required: Level;
  read: UseIdRequest;
  rows(reading: EidReading): GuestRow[];
  release(tx: Queryable, reading: EidReading, level: Level): Promise<() => Promise<FastifyReply>>;
}

export async function oidcGuestLogin(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<GuestLogin> {
  const details = await loadInteraction(app, request as FastifyRequest<{ Params: { uid: string } }>, reply);
  const clientId = String(details.params.client_id);
  const service = await app.services.byId(clientId);
  if (!guestOfferedOidc(app, service, request.sso !== undefined)) throw new AppError('not_found');
  if (details.prompt.name !== 'login') throw new AppError('interaction_expired');
  const serviceName = service?.displayName ?? clientId;
  const scopes = String(details.params.scope ?? 'openid').split(' ');
  const required = requiredLevel(details.params.acr_values, service?.minLevel ?? 1);
  const guests = guestClaimsStore(app.db, app.clock);
  await guests.prepare();
  return {
    base: `/interaction/${details.uid}`,
    serviceName,
    operator: service?.operator ?? undefined,
    required,
    read: guestOidcRequest(scopes, required, serviceName),
    rows: (reading) => guestRows(reading, { scopes }),
    async release(tx, reading, level) {
      const accountId = newGuestId();
      await guests.save(accountId, clientId, guestOidcClaims(reading, scopes), tx);
      await app.audit.record(tx, { actor: 'guest', action: 'login.guest', subject: `service:${clientId}`, outcome: 'success', details: { level, method: 'eid' } });
      return async () => {
        // The consent given on our page is the grant of this one login (design notes §6: nothing stored).
        const grant = new app.provider.Grant({ accountId, clientId });
        grant.addOIDCScope(scopes.join(' '));
        const grantId = await grant.save();
        const login = { accountId, acr: acrByLevel[level], amr: eidAmr(reading.eidType), ts: Math.floor(app.clock.now().getTime() / 1000), remember: false };
        const target = await app.provider.interactionResult(request.raw, reply.raw, { login, consent: { grantId } }, { mergeWithLastSubmission: false });
        // After the result is stored (oidc-provider checks the session's principal until then), before the resume.
        await forgetEarlierGuest(app.provider, details.session);
        return reply.redirect(target, 303);
      };
    },
  };
}

export async function samlGuestLogin(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<GuestLogin> {
  const { pending, service } = await loadPendingLogin(app, request as SamlLoginRequest);
  if (!guestOfferedSaml(app, pending, service, request.sso !== undefined)) throw new AppError('not_found');
  if (pending.request.lang) request.lang = pending.request.lang;
  const r = pending.request;
  const serviceName = shownName(pending, service);
  return {
    base: `/saml/login/${pending.uid}`,
    serviceName,
    operator: service.operator ?? undefined,
    required: r.requiredLevel,
    read: guestSamlRequest(r.requestedAttributes, r.requiredLevel, serviceName),
    rows: (reading) => guestRows(reading, { attributes: r.requestedAttributes }),
    async release(_tx, reading, level) {
      const { released, missing } = guestSamlAttributes(reading, r.requestedAttributes, level);
      return async () =>
        missing.length > 0
          ? answerService(app, request, reply, pending, service, { ok: false, status: status.responder, subStatus: status.requestDenied, message: `required-attribute-missing:${missing.join(',')}` })
          : answerGuest(app, request, reply, pending, service, { level, attributes: released });
    },
  };
}
