/**
 * Exports `eidClientRoutes(app, options?)`: the simulated eID client, the
 * AusweisApp's stand-in at `/dev/eid-client/eID-Client` (design notes §4).
 * Development only: register it only outside production.
 *
 * GET `?tcTokenURL=` (on our own origin only): fetch and read the TC
 * token (token.ts), keep it here,
 * ask the PAOS stand-in at its ServerAddress what is requested, show the
 * page. An error token sends the browser to its CommunicationErrorAddress.
 * POST (CSRF-checked): "Abbrechen" or a card with its PIN go to the PAOS
 * stand-in; a wrong PIN shows the page again with the tries left (the
 * AusweisApp asks again itself); otherwise 303 to the RefreshAddress with
 * the result appended as `addMajorMinor` does (refresh.ts). When the
 * exchange fails, the browser goes to the CommunicationErrorAddress, or
 * the RefreshAddress, with the minor the AusweisApp would report.
 * A tcTokenURL elsewhere is refused (400) without a request; a token that
 * cannot be fetched or read is a 422: the link names no usable token.
 * Our own origin (PUBLIC_URL) is reached through the app's router
 * (own-origin.ts), other addresses (an eID-Server) over the network.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Operation } from '../../methods/eid/soap/operations.ts';
import { readForm, readQuery, type Form } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { testCardIds, type TestCardId } from '../eid-simulator/cards.ts';
import type { RefreshMinor } from '../eid-simulator/paos.ts';
import { clientPage, clientPath, problemPage } from './page.ts';
import { ownOriginFetch } from './own-origin.ts';
import { PaosCallError, paosDescribe, paosRead, type PaosCallOptions } from './paos-call.ts';
import { createPendingReadings, type PendingReading } from './pending.ts';
import { withResult } from './refresh.ts';
import { useDevTexts } from '../text.ts';
import { fetchTcToken, ownOriginUrl, TokenError, type ClientTcToken } from './token.ts';

export interface EidClientRouteOptions {
  /** The network fetch for the TC token and the PAOS stand-in (tests); our own origin is always reached in-process. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function eidClientRoutes(app: AppContext, options: EidClientRouteOptions = {}) {
  useDevTexts();
  const pending = createPendingReadings(app.clock);

  /** Where a failed exchange ends, as the AusweisApp does (MsgHandlerAuth: CommunicationErrorAddress when given). */
  const failed = (reply: FastifyReply, token: ClientTcToken, minor: RefreshMinor) =>
    reply.redirect(withResult(token.communicationErrorAddress ?? token.refreshAddress, { major: 'error', minor }), 303);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const calls: PaosCallOptions = {
      fetch: ownOriginFetch(fastify, app.config.publicUrl, options.fetch),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    };

    fastify.get(clientPath, async (request, reply) => {
      const p = pageContext(app, request, reply);
      const title = p.t('eidClient.title');
      const tokenUrl = readQuery(request.query).tcTokenURL;
      if (!tokenUrl || !ownOriginUrl(tokenUrl, app.config.publicUrl))
        return sendPage(reply, p, title, problemPage(p, { message: 'eidClient.problem.ownOrigin' }), 400);
      let fetched;
      try {
        fetched = await fetchTcToken(tokenUrl, { publicUrl: app.config.publicUrl, ...calls });
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        request.log.warn({ code: error.code, detail: error.message }, 'simulated eID client: TC token refused');
        return sendPage(reply, p, title, problemPage(p, { message: 'eidClient.problem.token', code: error.code }), 422);
      }
      if (fetched.kind === 'error-token')
        return reply.redirect(
          withResult(fetched.communicationErrorAddress, { major: 'error', minor: 'communicationError' }),
          303,
        );
      const { token } = fetched;
      let describe;
      try {
        describe = await paosDescribe(token, calls);
      } catch (error) {
        if (!(error instanceof PaosCallError)) throw error;
        return failed(reply, token, error.minor);
      }
      const id = pending.put({ token, describe });
      return sendPage(reply, p, title, clientPage(p, { id, describe }));
    });

    fastify.post(clientPath, async (request, reply) => {
      const form = readForm(request.body);
      const p = pageContext(app, request, reply);
      const title = p.t('eidClient.title');
      const id = form.id;
      const reading = pending.get(id);
      if (!reading || id === undefined)
        return sendPage(reply, p, title, problemPage(p, { message: 'eidClient.problem.expired' }), 400);
      const { token } = reading;

      const choice = readChoice(form, reading);
      if (form.action !== 'cancel' && choice.errors.length > 0)
        return sendPage(reply, p, title, clientPage(p, { id, ...reading, ...choice }), 400);
      let answer;
      try {
        answer = await paosRead(
          token,
          form.action === 'cancel'
            ? { cancel: true }
            : { cardId: choice.card ?? 'erika', pin: form.pin ?? '', deselected: [...choice.deselected] },
          calls,
        );
      } catch (error) {
        if (!(error instanceof PaosCallError)) throw error;
        pending.delete(id);
        return failed(reply, token, error.minor);
      }
      if (answer.status === 'wrong-pin') {
        const errors: FieldError[] = [
          {
            field: 'pin',
            message: answer.triesLeft === 1 ? 'eidClient.pinWrongLast' : 'eidClient.pinWrong',
            params: { tries: answer.triesLeft },
          },
        ];
        return sendPage(
          reply,
          p,
          title,
          clientPage(p, { id, ...reading, card: choice.card, deselected: choice.deselected, errors }),
          400,
        );
      }
      pending.delete(id);
      return reply.redirect(withResult(token.refreshAddress, answer.refresh), 303);
    });
  };
}

/** The card, the PIN's presence and the unticked ALLOWED items of a form post. */
function readChoice(
  form: Form,
  reading: PendingReading,
): { card: TestCardId | undefined; deselected: Set<Operation>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const card = (testCardIds as readonly string[]).includes(form.card ?? '') ? (form.card as TestCardId) : undefined;
  if (!card) errors.push({ field: 'card', message: 'eidClient.cardMissing' });
  if ((form.pin ?? '') === '') errors.push({ field: 'pin', message: 'eidClient.pinMissing' });
  const deselected = new Set(reading.describe.allowed.filter((op) => form[`allow_${op}`] !== 'on'));
  return { card, deselected, errors };
}
