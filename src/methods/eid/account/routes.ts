/**
 * Exports `eidAccountRoutes(app)`: the eID on "Mein Konto"
 * (docs/eid-design-notes.md §6):
 *
 * - `/account/eid` "Online-Ausweis verbinden" and
 *   `/account/refresh/eid` "Daten mit Ausweis aktualisieren": the
 *   card readings (eID scopes), then the decision (decide.ts): refuse,
 *   link a new card of the same holder at once, or the side-by-side page;
 * - `POST /account/eid/confirm`: takes the data over (CSRF, bound to the
 *   reading and this browser, the reading used once);
 * - `POST /account/eid/block`: blocks one of the account's cards.
 *
 * Every route needs a session at the account's maximum level, as adding,
 * removing or blocking a means does (TR-03160-1; methods/second-factors.ts).
 * After the data were taken over, the session is renewed at the card's
 * level with method `eid`: the card and PIN were just used (design notes §7
 * "Linking … starts a new session at level 4").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { attributeNames } from '../../../identity/attributes.ts';
import { comparison, identityFromCard, type CardIdentity } from '../identity.ts';
import { eidLevel } from '../service.ts';
import type { EidTransaction } from '../transaction-repository.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { readForm } from '../../../platform/http/forms.ts';
import { requiredSession } from '../../../platform/http/route-options.ts';
import type { MessageId } from '../../../text/index.ts';
import type { FieldError } from '../../../web/components.ts';
import type { SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import { pageContext, sendPage } from '../../../web/page.ts';
import { endLoginsEverywhere } from '../../../session/end-everywhere.ts';
import { bindingProblemPage, boundReading, readingFields, storingRequest } from '../reading/binding.ts';
import { failedPage } from '../reading/page.ts';
import { eidRoutes } from '../reading/routes.ts';
import type { EidScope, EidState } from '../reading/scope.ts';
import { comparePage, donePage } from './compare-page.ts';
import { decideReading, type AccountPurpose } from './decide.ts';
import { accountBases, eidService } from './common.ts';
import { accountMaximumGuard } from './guard.ts';
import { refuseReading, storeReading } from './take-over.ts';

const bases = accountBases;
const titles: Record<AccountPurpose, MessageId> = {
  link: 'eidAccount.link.title',
  refresh: 'eidAccount.refresh.title',
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function eidAccountRoutes(app: AppContext) {
  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    title: MessageId,
    body: (p: PageContext) => SafeHtml,
    status = 200,
  ) => {
    const p = pageContext(app, request, reply);
    return sendPage(reply, p, p.t(title), body(p), status);
  };

  async function showCompare(
    request: FastifyRequest,
    reply: FastifyReply,
    o: {
      purpose: AccountPurpose;
      card: CardIdentity;
      transaction: EidTransaction;
      ref: string;
      explicit: boolean;
      errors?: FieldError[];
    },
  ): Promise<FastifyReply> {
    const rows = comparison(
      await app.attributes.forAccount(requiredSession(request).accountId),
      o.card,
      attributeNames,
    );
    const hidden = readingFields(o.transaction, o.ref);
    return send(
      request,
      reply,
      'eidAccount.compare.title',
      (p) =>
        comparePage(p, {
          purpose: o.purpose,
          rows,
          hidden,
          explicit: o.explicit,
          ...(o.errors && { errors: o.errors }),
        }),
      o.errors ? 400 : 200,
    );
  }

  /** The card was read (the scope's `finish`): decide, then refuse, link at once, or compare. */
  async function afterReading(
    request: FastifyRequest,
    reply: FastifyReply,
    state: EidState,
    transaction: EidTransaction,
    ref: string,
    purpose: AccountPurpose,
  ): Promise<FastifyReply> {
    const eid = eidService(app);
    const current = requiredSession(request);
    const p = pageContext(app, request, reply);
    const reading = transaction.reading;
    const restrictedId = reading?.personalData.restrictedId?.id;
    // The reading started in this account's session; another login in this browser since then does not inherit it.
    if (transaction.context.account !== current.accountId) throw new AppError('session_expired');
    if (!reading || !restrictedId)
      return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.error.technical'), 400);
    if (eidLevel(reading) !== 4) {
      await eid.transactions.use(transaction.id);
      return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.lowLevel'), 400);
    }
    const card = identityFromCard(reading);
    const decision = await decideReading(app, app.db, current.accountId, restrictedId, card, purpose);
    if (decision.kind === 'add') return storeReading(app, request, reply, transaction, purpose);
    if (decision.kind !== 'compare') return refuseReading(app, request, reply, decision, transaction, purpose);
    return showCompare(request, reply, { purpose, card, transaction, ref, explicit: decision.explicit });
  }

  function scope(purpose: AccountPurpose): EidScope {
    return {
      prefix: bases[purpose],
      async load(request, reply) {
        const current = requiredSession(request);
        const state: EidState = {
          base: bases[purpose],
          purpose,
          title: titles[purpose],
          request: storingRequest,
          context: { account: current.accountId },
          back: { href: '/account/security', label: 'eidAccount.back' },
          finish: (transaction) => afterReading(request, reply, state, transaction, request.params.ref ?? '', purpose),
        };
        return state;
      },
    };
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    // Every route of this plugin (the readings included): a session at the account's maximum (TR-03160-1).
    fastify.addHook('preHandler', accountMaximumGuard(app));

    for (const purpose of ['link', 'refresh'] as const) await fastify.register(eidRoutes(app, scope(purpose)));

    fastify.post('/account/eid/confirm', async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const bound = await boundReading(app, request, form, {
        bases: Object.values(bases),
        purposes: ['link', 'refresh'],
      });
      if (!bound.ok) {
        const p = pageContext(app, request, reply);
        const page = bindingProblemPage(p, bound.problem, '/account/security#eid-section');
        return sendPage(reply, p, page.title, page.body, 400);
      }
      const { transaction, reading } = bound;
      if (transaction.context.account !== current.accountId) throw new AppError('session_expired');
      const purpose: AccountPurpose = transaction.purpose === 'refresh' ? 'refresh' : 'link';
      const restrictedId = reading.personalData.restrictedId?.id;
      if (!restrictedId) throw new AppError('bad_request');
      const card = identityFromCard(reading);
      const decision = await decideReading(app, app.db, current.accountId, restrictedId, card, purpose);
      // Different holder data on a new card: only with the citizen's express confirmation.
      if (decision.kind === 'compare' && decision.explicit && form.really !== 'yes') {
        return showCompare(request, reply, {
          purpose,
          card,
          transaction,
          ref: bound.ref,
          explicit: true,
          errors: [{ field: 'really', message: 'eidAccount.compare.reallyMissing' }],
        });
      }
      return storeReading(app, request, reply, transaction, purpose);
    });

    fastify.post('/account/eid/block', async (request, reply) => {
      const eid = eidService(app);
      const form = readForm(request.body);
      const current = requiredSession(request);
      const linkId = form.link_id ?? '';
      if (!uuid.test(linkId)) throw new AppError('bad_request');
      const account = await app.accounts.byId(current.accountId);
      if (!account) throw new AppError('session_expired');
      const blocked = await app.db.transaction(async (tx) => {
        // Only a link of this account: the id comes from the form.
        if (!(await eid.links.block(current.accountId, linkId, tx))) return false;
        // Whoever holds the lost card and its PIN may be logged in: every other session and every service's
        // tokens end, as for a lost means.
        await endLoginsEverywhere(app, tx, current.accountId, current.id);
        await app.mailer.queue(tx, {
          to: account.email,
          lang: account.language,
          template: 'meansBlocked',
          params: { username: account.username, count: 1 },
        });
        await app.audit.account(tx, current.accountId, 'eid.blocked', { link: linkId });
        return true;
      });
      if (!blocked) throw new AppError('bad_request');
      return send(request, reply, 'eidAccount.doneTitle', (p) => donePage(p, 'eidAccount.blocked'));
    });
  };
}
