import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Account } from '../../identity/account-repository.ts';
import { secondFactorConfirmed } from '../../login/factors.ts';
import { mayAddMeans, meansMaximum, secondFactors } from '../../methods/second-factors.ts';
import { passwordEnoughForLow } from '../../methods/means-repository.ts';
import { readForm, type Form } from '../../platform/http/forms.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { loginLevel } from '../../session/level.ts';
import type { Level } from '../../session/limits.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { translator, type Translate } from '../../text/index.ts';
import type { FieldError } from '../../web/components.ts';
import type { SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { dataPage } from './data-page.ts';
import { loginHistory } from './login-history.ts';
import { listMeans } from './means.ts';
import { keepNotice, takeNotice, type Notice } from './notice.ts';
import { overviewPage } from './overview-page.ts';
import { accountOverview, sectionFrame, sectionTitle } from './page.ts';
import { profilePage } from './profile-page.ts';
import { reauthState } from './reauth.ts';
import { sectionPath, type SectionId } from './sections.ts';
import { securityPage } from './security-page.ts';
import { listSessions } from './session-list.ts';
import { sessionsPage } from './sessions-page.ts';
import { servicesPage } from './services-page.ts';

/** What a section page is shown again with after a form on it failed. */
export interface SectionExtra {
  errors?: FieldError[];
  values?: Record<string, string>;
}

/** What every part of "Mein Konto" shares: the account, its form, and the section pages. */
export interface AccountView {
  /** The account of this request's session, if any. */
  current(request: FastifyRequest): Promise<Account | undefined>;
  /** A section page, with the notice left for it, or with the errors beside their fields (status 400). */
  show(
    request: FastifyRequest,
    reply: FastifyReply,
    section: SectionId,
    extra?: SectionExtra,
    status?: number,
  ): Promise<FastifyReply>;
  /**
   * After a change: back to the section page of the form (post/redirect/get, issue 15 point 2), where the notice
   * shows once; reloading that page sends nothing again.
   */
  done(request: FastifyRequest, reply: FastifyReply, section: SectionId, notice: Notice): FastifyReply;
  /** Every POST here passed the route checks (second factor, then CSRF): its form and session. */
  guarded(request: FastifyRequest): { form: Form; accountId: string; session: SsoSession };
  t(request: FastifyRequest): Translate;
}

export function accountView(app: AppContext): AccountView {
  const current = async (request: FastifyRequest) => {
    const accountId = request.sso?.accountId;
    return accountId ? await app.accounts.byId(accountId) : undefined;
  };
  return {
    current,
    async show(request, reply, section, extra = {}, status = 200) {
      const account = await current(request);
      if (!account || !request.sso) return reply.redirect('/login?return=/account', 303);
      const p = pageContext(app, request, reply);
      const notice = status === 200 ? takeNotice(app, request, reply) : undefined;
      // The password alone on an account with a second factor: the overview and the way to confirm (issue 13, point
      // 2). The other sections' routes send such a session to the confirmation before they get here.
      if (!(await secondFactorConfirmed(app, request.sso)))
        return sendPage(reply, p, p.t('account.title'), accountOverview(p, { account, notice }), status);
      const body = await sectionBody(app, p, { session: request.sso, account, section, extra });
      const messages = { ...(notice ? { notice } : {}), ...(extra.errors ? { errors: extra.errors } : {}) };
      return sendPage(reply, p, sectionTitle(p, section), sectionFrame(p, section, messages, body), status);
    },
    done(_request, reply, section, notice) {
      keepNotice(app, reply, notice);
      return reply.redirect(sectionPath(section), 303);
    },
    guarded(request) {
      const session = requiredSession(request);
      return { form: readForm(request.body), accountId: session.accountId, session };
    },
    t: (request) => translator(request.lang),
  };
}

/** Each section loads only what it shows. */
async function sectionBody(
  app: AppContext,
  p: PageContext,
  o: { session: SsoSession; account: Account; section: SectionId; extra: SectionExtra },
): Promise<SafeHtml> {
  const { session, account, extra } = o;
  const errors = extra.errors ?? [];
  switch (o.section) {
    case 'overview':
      return overviewPage(p, {
        account,
        accountLevel: await accountLevel(app, account.id),
        sessionLevel: session.level,
      });
    case 'profile':
      return profilePage(p, {
        account,
        attributes: await app.attributes.forAccount(account.id),
        reauth: await reauthState(app, session),
        errors,
        values: extra.values ?? {},
      });
    case 'security':
      return securityPage(p, { ...(await securityOptions(app, session, account)), errors });
    case 'sessions':
      return sessionsPage(p, {
        sessions: await listSessions(app, session),
        history: await loginHistory(app, account.id),
      });
    case 'services':
      return servicesPage(p, await app.consents.listActive(account.id));
    case 'data':
      return dataPage(p, { account, reauth: await reauthState(app, session), errors });
    case 'postbox':
      // Not yet offered (sections.ts keeps its place in the navigation).
      return overviewPage(p, {
        account,
        accountLevel: await accountLevel(app, account.id),
        sessionLevel: session.level,
      });
  }
}

/**
 * The highest level the account reaches: its best means (a live eID card is hoch), capped by the level of its
 * identity data (DESIGN.md §3, session/level.ts).
 */
async function accountLevel(app: AppContext, accountId: string): Promise<Level> {
  const factors = await secondFactors(app.db, accountId, app.methods.kinds('second'));
  const card = app.eid ? (await app.eid.links.forAccount(accountId)).some((l) => !l.blockedAt) : false;
  const means = card ? 4 : meansMaximum(factors);
  return loginLevel(means, await app.attributes.forAccount(accountId));
}

/** The means, how this session may change them, and the online ID. */
async function securityOptions(app: AppContext, session: SsoSession, account: Account) {
  const reauth = await reauthState(app, session);
  const factors = await secondFactors(app.db, account.id, app.methods.kinds('second'));
  const meansState = {
    confirmed: mayAddMeans(session, factors),
    hasSecondFactor: factors.size > 0,
    passwordEnoughForLow: await passwordEnoughForLow(app.db, account.id),
    methods: app.methods.list,
    reauth,
  };
  const eid = app.eid
    ? { eid: { links: await app.eid.links.forAccount(account.id), confirmed: meansState.confirmed } }
    : {};
  return { account, means: await listMeans(app, account.id), meansState, reauth, ...eid };
}
