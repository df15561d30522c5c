import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { GuestDoor, GuestLogin } from '../../flows/guest/login.ts';
import { AppError } from '../../platform/http/errors.ts';
import { loadPendingLogin, shownName, type SamlLoginRequest } from './context.ts';
import { answerGuest } from './guest-answer.ts';
import { guestOfferedSaml } from './guest-offer.ts';
import { guestSamlRequest } from './guest-read.ts';
import { guestSamlAttributes, guestSamlRows } from './guest-release.ts';
import { samlLoginRequest } from './login-request.ts';

/**
 * The guest login of a SAML request (flows/guest/login.ts): the Response
 * with a transient NameID and the card's attributes, or RequestDenied for
 * a required attribute the citizen deselected.
 */
export async function samlGuestLogin(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<GuestLogin> {
  const { pending, service } = await loadPendingLogin(app, request as SamlLoginRequest);
  if (!guestOfferedSaml(app, pending, service, request.sso !== undefined)) throw new AppError('not_found');
  if (pending.request.lang) request.lang = pending.request.lang;
  const r = pending.request;
  const login = samlLoginRequest(app, request, reply, pending, service);
  return {
    request: login,
    read: guestSamlRequest(r.requestedAttributes, r.requiredLevel, shownName(pending, service)),
    rows: (reading) => guestSamlRows(reading, r.requestedAttributes),
    async release(_tx, reading, level) {
      const { released, missing } = guestSamlAttributes(reading, r.requestedAttributes, level);
      return async () =>
        missing.length > 0
          ? login.answer.refuse({ kind: 'attributes', missing })
          : answerGuest(app, request, reply, pending, service, { level, attributes: released });
    },
  };
}

export const samlGuestDoor: GuestDoor = { prefix: '/saml/login/:uid', load: samlGuestLogin };
