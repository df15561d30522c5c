/**
 * Exports `eidRoutes(app, scope)` (the hand-over page `{prefix}/eid` and the
 * RefreshAddress `{prefix}/eid/return/:ref` of one scope) and
 * `eidTcTokenRoute(app)` (`GET /eid/tc-token/:ref`, fetched by the eID
 * client). Design notes §2 and §6:
 *
 * - The hand-over page binds the reading to this browser (a cookie secret,
 *   TR-03124-1 §2.7) and links to the eID client with the TC-token URL.
 * - The TC token is served once: fetching it calls useID (TR-03130 §3.1.2
 *   steps 1–3), so the PSK goes straight from the server into the token.
 * - The RefreshAddress finishes only in the browser that started and only
 *   with getResult's answer: its query (`ResultMajor=ok`) proves nothing
 *   (design notes finding 2); it only words a failure getResult cannot give.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { classifyRefreshQuery, failureMessageIds, type EidOutcome } from '../result-codes.ts';
import type { EidService } from '../service.ts';
import { EidServerError } from '../soap/errors.ts';
import { buildErrorToken, buildTcToken } from '../tc-token.ts';
import type { EidTransaction } from '../transaction-repository.ts';
import { cookieOptions } from '../../../platform/http/cookies.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { readQuery } from '../../../platform/http/forms.ts';
import { hashToken, randomToken, safeEqual } from '../../../platform/crypto/tokens.ts';
import { pageContext, sendPage } from '../../../web/page.ts';
import { failedPage, handOverPage, otherBrowserPage, pendingPage } from './page.ts';
import type { EidScope } from './scope.ts';

/** The cookie that binds a reading to the browser that started it. */
export function bindingCookieName(production: boolean): string {
  return production ? '__Host-sk_eid' : 'sk_eid';
}

function service(app: AppContext): EidService {
  if (!app.eid) throw new AppError('not_found');
  return app.eid;
}

export function eidRoutes(app: AppContext, scope: EidScope) {
  const cookie = bindingCookieName(app.config.production);
  const minutes = app.config.eid?.transactionMinutes ?? 10;

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get<{ Params: { uid?: string } }>(`${scope.prefix}/eid`, async (request, reply) => {
      const eid = service(app);
      const state = await scope.load(request, reply);
      // Every reading costs a session on the eID-Server (useID#tooManyOpenSessions); one address gets a fair share.
      await app.rateLimiter.hit(`eid:ip:${request.ip}`, 30, 600);
      const existing = request.cookies[cookie];
      const binding = existing && existing.length <= 100 ? existing : randomToken();
      // Renewed on every hand-over: a reading started now must not outlive the cookie of an earlier one.
      reply.setCookie(cookie, binding, cookieOptions(app.config.production, minutes * 60));
      const { tcRef } = await eid.transactions.create(
        { purpose: state.purpose, base: state.base, context: state.context ?? {}, request: state.request },
        binding,
      );
      const tcTokenUrl = `${app.config.publicUrl}/eid/tc-token/${tcRef}`;
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t(state.title),
        handOverPage(p, state, eid.handOverUrl(tcTokenUrl, request.headers['user-agent'])),
      );
    });

    fastify.get<{ Params: { uid?: string; ref: string } }>(
      `${scope.prefix}/eid/return/:ref`,
      async (request, reply) => {
        const eid = service(app);
        const state = await scope.load(request, reply);
        const p = () => pageContext(app, request, reply);
        const transaction = await eid.transactions.byRefreshRef(request.params.ref);
        if (!transaction || transaction.base !== state.base) {
          const page = p();
          return sendPage(
            reply,
            page,
            page.t('eid.expired.title'),
            failedPage(page, state, 'eid.error.timeout', 'eid.expired.title'),
            400,
          );
        }
        const binding = request.cookies[cookie];
        if (!binding || !safeEqual(hashToken(binding), transaction.bindingHash)) {
          // On phones the eID client may open the RefreshAddress in another browser; nothing is completed there (no
          // login CSRF).
          const page = p();
          return sendPage(reply, page, page.t('eid.otherBrowser.title'), otherBrowserPage(page), 400);
        }
        const settled =
          transaction.state === 'started' || transaction.state === 'polling'
            ? await settle(request.log, eid, transaction, readQuery(request.query))
            : transaction;
        if (settled.state === 'started' || settled.state === 'polling') {
          const page = p();
          return sendPage(
            reply,
            page,
            page.t('eid.pending.title'),
            pendingPage(page, state, `${state.base}/eid/return/${request.params.ref}`),
            202,
          );
        }
        if (settled.state === 'done') return state.finish(settled);
        if (settled.state === 'used') return reply.redirect(state.base, 303);
        const kind = settled.outcome === undefined || settled.outcome === 'ok' ? 'technical' : settled.outcome;
        const page = p();
        return sendPage(reply, page, page.t('eid.failed.title'), failedPage(page, state, failureMessageIds[kind]), 400);
      },
    );
  };
}

/**
 * Asks the eID-Server for the result. While it has none yet, the refresh
 * query may say why (the citizen cancelled before the server heard of it);
 * a claimed success without a result stays pending.
 */
async function settle(
  log: FastifyBaseLogger,
  eid: EidService,
  transaction: EidTransaction,
  query: Record<string, string | undefined>,
): Promise<EidTransaction> {
  // Another request is asking already: wait for its answer (the citizen gets "still reading").
  if (!(await eid.transactions.claimPolling(transaction.id)))
    return (await eid.transactions.byId(transaction.id)) ?? transaction;
  let outcome: EidOutcome;
  if (!transaction.serverSession) {
    outcome = { kind: 'pending' };
  } else {
    try {
      outcome = await eid.client.pollResult({
        sessionId: transaction.serverSession,
        nextCounter: () => eid.transactions.nextCounter(transaction.id),
        useOperations: transaction.request.useOperations,
        attempts: 3,
        intervalMs: 500,
      });
    } catch (error) {
      if (!(error instanceof EidServerError)) throw error;
      logEidError(log, error, 'getResult');
      outcome = { kind: 'technical' };
    }
  }
  if (outcome.kind === 'pending') {
    const claimed = classifyRefreshQuery(query);
    if (query.ResultMajor === undefined || claimed === 'unconfirmed') {
      await eid.transactions.releasePolling(transaction.id);
      return transaction;
    }
    outcome = { kind: claimed };
  }
  return (await eid.transactions.finish(transaction.id, outcome)) ?? transaction;
}

function logEidError(log: FastifyBaseLogger, error: EidServerError, step: string): void {
  log.warn({ eid: step, code: error.code, error: error.message }, 'eID-Server call failed');
}

export function eidTcTokenRoute(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get<{ Params: { ref: string } }>('/eid/tc-token/:ref', async (request, reply) => {
      const eid = service(app);
      const started = await eid.transactions.start(request.params.ref);
      if (!started) throw new AppError('not_found');
      const { transaction, refreshRef } = started;
      const refreshAddress = `${app.config.publicUrl}${transaction.base}/eid/return/${refreshRef}`;
      const send = (xml: string) => reply.type('text/xml; charset=utf-8').header('cache-control', 'no-store').send(xml);
      const fail = async (kind: 'busy' | 'technical') => {
        await eid.transactions.finish(transaction.id, { kind });
        return send(buildErrorToken(refreshAddress));
      };
      try {
        const answer = await eid.client.useID(transaction.request);
        if (answer.result.major !== 'ok' || !answer.session || !answer.psk) {
          request.log.warn({ eid: 'useID', minor: answer.result.minor }, 'eID-Server refused useID');
          return fail(failureKindOfUseId(answer.result.minor));
        }
        const serverAddress = answer.eCardServerAddress ?? eid.config.ecardServerAddress;
        if (!serverAddress) {
          request.log.warn({ eid: 'useID' }, 'no eCardServerAddress: set EID_ECARD_SERVER_ADDRESS');
          return fail('technical');
        }
        await eid.transactions.setServerSession(transaction.id, answer.session.id);
        return send(
          buildTcToken({
            serverAddress,
            sessionIdentifier: answer.psk.id,
            refreshAddress,
            communicationErrorAddress: refreshAddress,
            psk: answer.psk.key,
          }),
        );
      } catch (error) {
        if (!(error instanceof EidServerError)) throw error;
        logEidError(request.log, error, 'useID');
        return fail('technical');
      }
    });
  };
}

function failureKindOfUseId(minor: string | undefined): 'busy' | 'technical' {
  return minor?.endsWith('/useID#tooManyOpenSessions') ? 'busy' : 'technical';
}
