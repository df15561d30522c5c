import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Account } from '../../identity/account-repository.ts';
import { secondFactorConfirmed } from '../../login/factors.ts';
import { mayAddMeans, secondFactors } from '../../methods/second-factors.ts';
import { passwordEnoughForLow } from '../../methods/means-repository.ts';
import { readForm, type Form } from '../../platform/http/forms.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { translator, type Translate } from '../../text/index.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { listMeans } from './means.ts';
import { accountOverview, accountPage, type AccountPageOptions } from './page.ts';
import { reauthState } from './reauth.ts';

/** What every part of "Mein Konto" shares: the account, its form, and the page shown again after a change. */
export interface AccountView {
  /** The account of this request's session, if any. */
  current(request: FastifyRequest): Promise<Account | undefined>;
  /** "Mein Konto" again, with a notice or with the errors beside their fields. */
  show(
    request: FastifyRequest,
    reply: FastifyReply,
    extra?: Partial<AccountPageOptions>,
    status?: number,
  ): Promise<FastifyReply>;
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
    async show(request, reply, extra = {}, status = 200) {
      const account = await current(request);
      if (!account || !request.sso) return reply.redirect('/login?return=/account', 303);
      const p = pageContext(app, request, reply);
      // The password alone on an account with a second factor: the overview and the way to confirm (issue 13, point 2).
      if (!(await secondFactorConfirmed(app, request.sso)))
        return sendPage(
          reply,
          p,
          p.t('account.title'),
          accountOverview(p, { account, ...(extra.notice ? { notice: extra.notice } : {}) }),
          status,
        );
      const options = { ...(await pageOptions(app, request.sso, account)), ...extra };
      return sendPage(reply, p, p.t('account.title'), accountPage(p, options), status);
    },
    guarded(request) {
      const session = requiredSession(request);
      return { form: readForm(request.body), accountId: session.accountId, session };
    },
    t: (request) => translator(request.lang),
  };
}

/** Everything the full page shows of the account: its data, services, means and how this session confirms. */
async function pageOptions(app: AppContext, session: SsoSession, account: Account): Promise<AccountPageOptions> {
  const reauth = await reauthState(app, session);
  const factors = await secondFactors(app.db, account.id, app.methods.kinds('second'));
  const passwordEnough = await passwordEnoughForLow(app.db, account.id);
  const meansState = {
    confirmed: mayAddMeans(session, factors),
    hasSecondFactor: factors.size > 0,
    passwordEnoughForLow: passwordEnough,
    methods: app.methods.list,
    reauth,
  };
  const eid = app.eid
    ? { eid: { links: await app.eid.links.forAccount(account.id), confirmed: meansState.confirmed } }
    : {};
  return {
    account,
    attributes: await app.attributes.forAccount(account.id),
    consents: await app.consents.listActive(account.id),
    means: await listMeans(app, account.id),
    meansState,
    reauth,
    ...eid,
  };
}
