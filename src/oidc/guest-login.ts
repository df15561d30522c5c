import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { GuestDoor, GuestLogin } from '../flows/guest/login.ts';
import { eidAmr } from '../methods/eid/service.ts';
import { AppError } from '../platform/http/errors.ts';
import { acrByLevel } from './acr.ts';
import { guestClaimsStore, newGuestId } from './guest-claims-store.ts';
import { guestOfferedOidc } from './guest-offer.ts';
import { guestOidcRequest } from './guest-read.ts';
import { guestOidcClaims, guestOidcRows } from './guest-release.ts';
import { forgetEarlierGuest } from './guest.ts';
import { loadInteraction } from './interaction.ts';
import { oidcLoginRequest } from './login-request.ts';

/**
 * The guest login of an interaction (flows/guest/login.ts): the claims are
 * kept sealed for the tokens (guest-claims-store.ts); the interaction ends
 * with a login for a random `guest:` id, `remember: false`, and the grant
 * of this consent, which is stored nowhere else.
 */
export async function oidcGuestLogin(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<GuestLogin> {
  const details = await loadInteraction(app, request as FastifyRequest<{ Params: { uid: string } }>, reply);
  const clientId = String(details.params.client_id);
  const service = await app.services.byId(clientId);
  if (!guestOfferedOidc(app, service, request.sso !== undefined)) throw new AppError('not_found');
  if (details.prompt.name !== 'login') throw new AppError('interaction_expired');
  const login = await oidcLoginRequest(app, request, reply, details);
  const scopes = String(details.params.scope ?? 'openid').split(' ');
  const guests = guestClaimsStore(app.db, app.clock);
  await guests.prepare();
  return {
    request: login,
    read: guestOidcRequest(scopes, login.required, login.service?.displayName ?? clientId),
    rows: (reading) => guestOidcRows(reading, scopes),
    async release(tx, reading, level) {
      const accountId = newGuestId();
      await guests.save(accountId, clientId, guestOidcClaims(reading, scopes), tx);
      await app.audit.record(tx, {
        actor: 'guest',
        action: 'login.guest',
        subject: `service:${clientId}`,
        outcome: 'success',
        details: { level, method: 'eid' },
      });
      return async () => {
        // The consent given on our page is the grant of this one login (design notes §6: nothing stored).
        const grant = new app.provider.Grant({ accountId, clientId });
        grant.addOIDCScope(scopes.join(' '));
        const grantId = await grant.save();
        const guest = {
          accountId,
          acr: acrByLevel[level],
          amr: eidAmr(reading.eidType),
          ts: Math.floor(app.clock.now().getTime() / 1000),
          remember: false,
        };
        const target = await app.provider.interactionResult(
          request.raw,
          reply.raw,
          { login: guest, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
        // After the result is stored (oidc-provider checks the session's principal until then), before the resume.
        await forgetEarlierGuest(app.provider, details.session);
        return reply.redirect(target, 303);
      };
    },
  };
}

export const oidcGuestDoor: GuestDoor = { prefix: '/interaction/:uid', load: oidcGuestLogin };
