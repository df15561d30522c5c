/**
 * Exports `guestScopes(app, doors)` (the card reading of a guest login,
 * under each door's prefix: `/interaction/:uid/guest`,
 * `/saml/login/:uid/guest`) and `guestRoutes(app, doors)` (`POST
 * …/guest/consent`). Design notes §6 Guest login.
 *
 * The order: read only what the service asked for (no RestrictedID), show
 * the values on the consent page, and on consent take the reading once, in
 * the browser that read the card (`boundReading`), and answer the service.
 * Declining is the login's own cancel (`…/abort`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { eidLevel } from '../../methods/eid/service.ts';
import type { EidReading, EidTransaction } from '../../methods/eid/transaction-repository.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import type { Level } from '../../session/limits.ts';
import { cancelControl } from '../../login/cancel.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { bindingProblemPage, boundReading } from '../../methods/eid/reading/binding.ts';
import { failedPage } from '../../methods/eid/reading/page.ts';
import type { EidScope, EidState } from '../../methods/eid/reading/scope.ts';
import type { GuestDoor, GuestLogin } from './login.ts';
import { guestConsentPage } from './page.ts';

/** The level the card reached, when it is enough for the service (a Smart-eID may be rated lower). */
function levelFor(login: GuestLogin, reading: EidReading): Level | undefined {
  const level = eidLevel(reading);
  return level !== undefined && level >= login.request.required ? level : undefined;
}

function stateOf(app: AppContext, request: FastifyRequest, reply: FastifyReply, login: GuestLogin): EidState {
  const state: EidState = {
    base: `${login.request.base}/guest`,
    purpose: 'guest',
    serviceName: login.request.service?.displayName ?? '',
    title: 'guest.choice.title',
    request: login.read,
    back: { href: login.request.base, label: 'eid.handover.otherMethod' },
    cancel: (p) => cancelControl(p, login.request.cancel),
    finish: (transaction) => showConsent(app, request, reply, login, state, transaction),
  };
  return state;
}

async function showConsent(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  login: GuestLogin,
  state: EidState,
  transaction: EidTransaction,
): Promise<FastifyReply> {
  const p = pageContext(app, request, reply);
  const reading = transaction.reading;
  if (!reading) return reply.redirect(`${state.base}/eid`, 303);
  if (!levelFor(login, reading))
    return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.lowLevel'), 400);
  const ref = (request.params as { ref?: string }).ref ?? '';
  const body = guestConsentPage(p, {
    base: login.request.base,
    serviceName: login.request.service?.displayName ?? '',
    operator: login.request.service?.operator,
    rows: login.rows(reading),
    transaction,
    ref,
  });
  return sendPage(reply, p, p.t('consent.title'), body);
}

export function guestScopes(app: AppContext, doors: readonly GuestDoor[]): EidScope[] {
  return doors.map(({ prefix, load }) => ({
    prefix: `${prefix}/guest`,
    load: async (request, reply) => stateOf(app, request, reply, await load(app, request, reply)),
  }));
}

export function guestRoutes(app: AppContext, doors: readonly GuestDoor[]) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    for (const { prefix, load } of doors) {
      fastify.post<{ Params: { uid: string } }>(`${prefix}/guest/consent`, async (request, reply) => {
        const form = readForm(request.body);
        const eid = app.eid;
        if (!eid) throw new AppError('not_found');
        const login = await load(app, request, reply);
        const bound = await boundReading(app, request, form, {
          bases: [`${login.request.base}/guest`],
          purposes: ['guest'],
        });
        if (!bound.ok) {
          const p = pageContext(app, request, reply);
          const page = bindingProblemPage(p, bound.problem, `${login.request.base}/guest/eid`);
          return sendPage(reply, p, page.title, page.body, 400);
        }
        const level = levelFor(login, bound.reading);
        if (!level) throw new AppError('interaction_expired');
        const answer = await app.db.transaction(async (tx) => {
          const reading = await eid.transactions.use(bound.transaction.id, tx);
          return reading && login.release(tx, reading, level);
        });
        if (!answer) {
          const p = pageContext(app, request, reply);
          const page = bindingProblemPage(p, 'expired', `${login.request.base}/guest/eid`);
          return sendPage(reply, p, page.title, page.body, 400);
        }
        return answer();
      });
    }
  };
}
