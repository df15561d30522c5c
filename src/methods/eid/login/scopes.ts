/**
 * Exports `eidLoginScopes(app, doors)`: the eID as a login method under
 * every login front door (stand-alone `/login`, an OIDC interaction, a
 * SAML login), and `finishEidLogin` for their common end.
 *
 * The card is found by its link (the RestrictedID). The session's means
 * level is what the eID-Server attests (`eidLevel`), capped by the identity
 * data as for every login; `method` = `eid` makes SAML say
 * AssertionProvedBy `eID` (PROFILES.md §1).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { identityFromCard, sameHolder, type CardIdentity } from '../identity.ts';
import { loginOperations } from '../read-sets.ts';
import { eidAmr, eidLevel } from '../service.ts';
import type { EidTypeRequest, UseIdRequest } from '../soap/use-id.ts';
import type { EidTransaction } from '../transaction-repository.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { cancelControl } from '../../../login/cancel.ts';
import { finishLogin } from '../../../login/continue.ts';
import type { LoginFrontDoor } from '../../../login/front-door.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { Level } from '../../../session/limits.ts';
import type { SsoSession } from '../../../session/sso-session-repository.ts';
import { pageContext, sendPage } from '../../../web/page.ts';
import { startSession } from '../../../flows/login/complete-login.ts';
import { failedPage } from '../reading/page.ts';
import type { EidScope, EidState } from '../reading/scope.ts';
import { readingFields } from '../reading/binding.ts';
import { blockedCardPage, unknownCardPage, unknownCardRegistrationPage } from './card-pages.ts';

/**
 * Where a service needs hoch, a Smart-eID variant the eID-Server rates
 * lower is not offered (TR-03130-1 §3.3.12: an eID type below the
 * requested level is refused unless ALLOWED); otherwise every type is
 * allowed and the level follows the server's LevelOfAssuranceResult.
 */
export function loginRequest(required: Level, transactionInfo: string | undefined): UseIdRequest {
  const eidTypes: EidTypeRequest =
    required >= 4
      ? { CardCertified: 'ALLOWED', SECertified: 'ALLOWED', SEEndorsed: 'ALLOWED' }
      : { CardCertified: 'ALLOWED', SECertified: 'ALLOWED', SEEndorsed: 'ALLOWED', HWKeyStore: 'ALLOWED' };
  return {
    useOperations: loginOperations,
    ...(transactionInfo && { transactionInfo: transactionInfo.slice(0, 200) }),
    levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
    eidTypes,
  };
}

/**
 * A card that belongs to no account, read at hoch in a browser with no
 * session: the registration form at once, with the data this reading read
 * (issue 15, point 7: a first-time eID login needs one PIN entry). The
 * reading stays sealed, bound to this browser and short-lived; it is handed
 * to the registration's form (`/register/eid/complete`), which uses it once.
 */
async function handedToRegistration(
  app: AppContext,
  request: FastifyRequest,
  state: EidState,
  transaction: EidTransaction,
): Promise<{ card: CardIdentity; ref: string } | undefined> {
  const eid = app.eid;
  const reading = transaction.reading;
  const restrictedId = reading?.personalData.restrictedId?.id;
  const ref = (request.params as { ref?: unknown }).ref;
  if (!eid || request.sso || !reading || !restrictedId || typeof ref !== 'string' || eidLevel(reading) !== 4)
    return undefined;
  if (await eid.links.byRestrictedId(restrictedId)) return undefined;
  const returnTo: Record<string, string> = state.base === '/login' ? {} : { returnTo: state.base };
  if (!(await eid.transactions.handOver(transaction.id, { purpose: 'register', base: '/register', context: returnTo })))
    return undefined;
  return { card: identityFromCard(reading), ref };
}

/**
 * The common end of an eID login: a linked card starts the session; a
 * new card of the account already logged in is linked when names and date
 * of birth match its data verified at hoch (TR-03160-1 re-verification);
 * an unknown card gets the registration with the data read (handedToRegistration),
 * or, read below hoch or beside a session, the way to register or log in.
 */
export async function finishEidLogin(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  state: EidState,
  transaction: EidTransaction,
  done: (session: SsoSession) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const eid = app.eid;
  if (!eid) throw new AppError('not_found');
  // Not a reply: an awaited reply is thenable and can never be told from undefined (login/front-door.ts).
  const handed = await handedToRegistration(app, request, state, transaction);
  if (handed) {
    const p = pageContext(app, request, reply);
    const hidden = readingFields(transaction, handed.ref);
    return sendPage(
      reply,
      p,
      p.t('eid.unknownCard.title'),
      unknownCardRegistrationPage(p, state, { card: handed.card, hidden }),
    );
  }
  const reading = await eid.transactions.use(transaction.id);
  if (!reading) return reply.redirect(state.base, 303);
  const p = pageContext(app, request, reply);
  const restrictedId = reading.personalData.restrictedId?.id;
  const meansLevel = eidLevel(reading);
  if (!restrictedId)
    return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.error.technical'), 400);
  if (!meansLevel) return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.lowLevel'), 400);
  const amr = eidAmr(reading.eidType);
  const link = await eid.links.byRestrictedId(restrictedId);
  if (link?.blockedAt) {
    await app.audit.record(app.db, {
      actor: `account:${link.accountId}`,
      action: 'login',
      subject: `account:${link.accountId}`,
      outcome: 'failure',
      details: { method: 'eid', reason: 'card_blocked' },
    });
    return sendPage(reply, p, p.t('eid.blockedCard.title'), blockedCardPage(p, state), 403);
  }
  if (link) {
    // A locked account stays locked whatever the means (the password login checks the same).
    const account = await app.accounts.byId(link.accountId);
    if (account?.state !== 'active') {
      await app.audit.record(app.db, {
        actor: `account:${link.accountId}`,
        action: 'login',
        subject: `account:${link.accountId}`,
        outcome: 'failure',
        details: { method: 'eid', reason: 'account_not_active' },
      });
      return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.accountLocked'), 403);
    }
    await eid.links.touch(link.id);
    return done(await startSession(app, request, reply, link.accountId, meansLevel, amr, 'eid'));
  }
  // A new card (or Smart-eID) of the citizen already logged in, e.g. during a step-up to hoch (or a reading below
  // hoch, which registers nothing: the way to the registration's own reading).
  const current = request.sso;
  // Only a reading at hoch vouches for a new card (as linking on Mein Konto requires).
  if (current && meansLevel === 4) {
    const card = identityFromCard(reading);
    if (sameHolder(await app.attributes.forAccount(current.accountId), card)) {
      const linked = await app.db.transaction(async (tx) => {
        const ok = await eid.links.link(
          current.accountId,
          {
            restrictedId,
            documentType: reading.personalData.documentType ?? 'ID',
            eidType: reading.eidType ?? 'CardCertified',
          },
          tx,
        );
        if (ok)
          await app.audit.record(tx, {
            actor: `account:${current.accountId}`,
            action: 'eid.card_added',
            subject: `account:${current.accountId}`,
            outcome: 'success',
            details: { via: 'login', document: card.document },
          });
        return ok;
      });
      if (linked) return done(await startSession(app, request, reply, current.accountId, meansLevel, amr, 'eid'));
    }
  }
  return sendPage(reply, p, p.t('eid.unknownCard.title'), unknownCardPage(p, state), 404);
}

/**
 * The eID as a login method under a front door. A service that turned the
 * eID off (AKDB AuthnMethods) does not get it (PROFILES.md §1). The
 * stand-alone eID login goes to the account's overview: an eID session is
 * at hoch, with nothing more to confirm.
 */
export function eidLoginScope(app: AppContext, door: LoginFrontDoor): EidScope {
  return {
    prefix: door.prefix,
    async load(request, reply) {
      const login = await door.load(request, reply);
      if (login.allowedMethods && !login.allowedMethods.includes('eid')) throw new AppError('not_found');
      if (login.lang) request.lang = login.lang;
      const serviceName = login.service?.displayName;
      const cancel = login.cancel;
      const done = async (session: SsoSession) =>
        login.service ? finishLogin(app, reply, login, session) : reply.redirect('/account', 303);
      const state: EidState = {
        base: login.base,
        purpose: 'login',
        ...(serviceName !== undefined && { serviceName }),
        title: 'eid.handover.title',
        request: loginRequest(login.required, serviceName),
        back: { href: login.base, label: 'eid.handover.otherMethod' },
        ...(cancel.kind === 'form' && { cancel: (p: PageContext) => cancelControl(p, cancel) }),
        finish: (transaction) => finishEidLogin(app, request, reply, state, transaction, done),
      };
      return state;
    },
  };
}

/** The eID login under every front door (stand-alone, OIDC, SAML). */
export function eidLoginScopes(app: AppContext, doors: readonly LoginFrontDoor[]): EidScope[] {
  return doors.map((door) => eidLoginScope(app, door));
}
