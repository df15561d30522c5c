import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { passwordProblem } from '../../methods/password/policy.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import { AppError } from '../../platform/http/errors.ts';
import { endLoginsEverywhere } from '../../session/end-everywhere.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { checkFields, readForm, type Form, readQuery } from '../../platform/http/forms.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { translator } from '../../text/index.ts';
import { alert } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds } from '../email-links.ts';
import { checkEmail } from '../validation.ts';
import { exportAccount } from '../../identity/export.ts';
import { listMeans } from './means.ts';
import { meansRoutes } from './means-routes.ts';
import { mayAddMeans, secondFactors } from '../../methods/second-factors.ts';
import { passwordEnoughForLow, setPasswordEnoughForLow } from '../../methods/means-repository.ts';
import { secondFactorConfirmed } from '../../login/factors.ts';
import { needsSecondFactor } from './guard.ts';
import { notifyChange } from './notify.ts';
import { accountOverview, accountPage, type AccountPageOptions } from './page.ts';
import { readProfile } from './profile-input.ts';
import { confirmsIdentity, hasPassword, reauthError, reauthState } from './reauth.ts';

/** "Mein Konto" (DESIGN.md §2, account row): profile, password, e-mail, services, export, deletion. */
export function settingsRoutes(app: AppContext) {
  const links = emailLinks(app.clock);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    const current = async (request: FastifyRequest) => {
      const accountId = request.sso?.accountId;
      const account = accountId ? await app.accounts.byId(accountId) : undefined;
      return account;
    };
    const show = async (
      request: FastifyRequest,
      reply: FastifyReply,
      extra: Partial<AccountPageOptions> = {},
      status = 200,
    ) => {
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
      const reauth = await reauthState(app, request.sso);
      const factors = await secondFactors(app.db, account.id, app.methods.kinds('second'));
      const passwordEnough = await passwordEnoughForLow(app.db, account.id);
      const meansState = {
        confirmed: mayAddMeans(request.sso, factors),
        hasSecondFactor: factors.size > 0,
        passwordEnoughForLow: passwordEnough,
        methods: app.methods.list,
        reauth,
      };
      const eid = app.eid
        ? { eid: { links: await app.eid.links.forAccount(account.id), confirmed: meansState.confirmed } }
        : {};
      const options: AccountPageOptions = {
        account,
        attributes: await app.attributes.forAccount(account.id),
        consents: await app.consents.listActive(account.id),
        means: await listMeans(app, account.id),
        meansState,
        reauth,
        ...eid,
        ...extra,
      };
      return sendPage(reply, p, p.t('account.title'), accountPage(p, options), status);
    };
    /** Every POST here passed the route checks (second factor, then CSRF): its form and session. */
    const guarded = async (
      request: FastifyRequest,
    ): Promise<{ form: Form; accountId: string; session: SsoSession }> => {
      const session = requiredSession(request);
      return { form: readForm(request.body), accountId: session.accountId, session };
    };
    const t = (request: FastifyRequest) => translator(request.lang);

    fastify.get('/account', (request, reply) => show(request, reply));
    await fastify.register(
      meansRoutes(app, (request, reply, notice, errors) =>
        errors
          ? show(request, reply, { errors }, 400)
          : show(request, reply, { notice: { kind: 'success', text: notice } }),
      ),
    );

    fastify.post('/account/profile', needsSecondFactor, async (request, reply) => {
      const { form, accountId } = await guarded(request);
      const { values, errors } = readProfile(form);
      if (errors.length > 0) return show(request, reply, { errors, values: values as Record<string, string> }, 400);
      await app.db.transaction(async (tx) => {
        await app.repos(tx).attributes.setTyped(accountId, values);
        await app.audit.account(tx, accountId, 'profile.updated');
      });
      return show(request, reply, { notice: { kind: 'success', text: t(request)('account.profile.saved') } });
    });

    // Changing the password needs the current one; an account without one (registered with the eID)
    // sets its first password, confirmed by a fresh eID login instead (reauth.ts).
    fastify.post('/account/password', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = await guarded(request);
      const account = await current(request);
      const first = !(await hasPassword(app, accountId));
      const { values, errors } = checkFields(form, [
        { name: 'current_password', max: 256, required: !first },
        { name: 'new_password', max: 256 },
      ]);
      if (errors.length > 0 || !account) return show(request, reply, { errors }, 400);
      if (!(await confirmsIdentity(app, session, values.current_password))) {
        return show(request, reply, { errors: [reauthError({ hasPassword: !first }, 'current_password')] }, 400);
      }
      const problem = passwordProblem(values.new_password ?? '', { username: account.username, email: account.email });
      if (problem) return show(request, reply, { errors: [{ field: 'new_password', message: problem }] }, 400);
      const hash = await app.hasher.hash(values.new_password ?? '');
      await app.db.transaction(async (tx) => {
        await app.repos(tx).passwords.set(accountId, hash);
        // Other browsers' sessions and every service's tokens end; this browser stays (OWASP Session Management).
        await endLoginsEverywhere(app, tx, accountId, session.id);
        await app.mailer.queue(tx, {
          to: account.email,
          lang: account.language,
          template: 'passwordChanged',
          params: { username: account.username },
        });
        await app.audit.account(tx, accountId, first ? 'password.set' : 'password.changed');
      });
      const saved = !first
        ? 'account.password.saved'
        : account.emailVerifiedAt
          ? 'eidReauth.set.saved'
          : 'eidReauth.set.savedUnconfirmed';
      return show(request, reply, { notice: { kind: 'success', text: t(request)(saved) } });
    });

    fastify.post('/account/email', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = await guarded(request);
      const account = await current(request);
      const reauth = await reauthState(app, session);
      const { values, errors } = checkFields(form, [
        { name: 'new_email', max: 254 },
        { name: 'email_password', max: 256, required: reauth.hasPassword },
      ]);
      const email = values.new_email ?? '';
      const invalid = errors.some((e) => e.field === 'new_email') ? undefined : checkEmail('new_email', email);
      if (invalid) errors.push(invalid);
      if (errors.length === 0 && account && email.toLowerCase() === account.email.toLowerCase())
        errors.push({ field: 'new_email', message: 'account.email.same' });
      if (errors.length > 0 || !account) return show(request, reply, { errors, values: { new_email: email } }, 400);
      // The address is how an account is recovered: changing it needs the password, or without one a fresh eID login
      // (OWASP ASVS 2.5).
      if (!(await confirmsIdentity(app, session, values.email_password))) {
        return show(
          request,
          reply,
          { errors: [reauthError(reauth, 'email_password')], values: { new_email: email } },
          400,
        );
      }
      await app.rateLimiter.hit(`mail:account:${accountId}`, 5, 3600);
      // An address of another account gets the same answer (no enumeration); the link then fails safely.
      const taken = await app.accounts.byEmail(email);
      if (!taken) {
        await app.db.transaction(async (tx) => {
          const token = await links.issue(tx, accountId, 'change_email', { newEmail: email });
          await app.mailer.queue(tx, {
            to: email,
            lang: account.language,
            template: 'changeEmail',
            params: { username: account.username, hours: linkLifetimeSeconds.change_email / 3600 },
            link: `${app.config.publicUrl}/confirm-email-change?token=${token}`,
          });
        });
      }
      return show(request, reply, { notice: { kind: 'info', text: t(request)('account.email.sent', { email }) } });
    });

    fastify.get('/confirm-email-change', async (request, reply) => {
      const token = readQuery(request.query).token;
      await app.db.transaction(async (tx) => {
        const link = await links.consume(tx, token, 'change_email');
        const accounts = app.repos(tx).accounts;
        const account = await accounts.byId(link.accountId);
        if (!account || !link.newEmail || (await accounts.byEmail(link.newEmail))) throw new AppError('link_invalid');
        try {
          await accounts.changeEmail(account.id, link.newEmail, app.clock.now());
        } catch (error) {
          if (isUniqueViolation(error)) throw new AppError('link_invalid');
          throw error;
        }
        // Links sent to the old address must not work any more.
        await links.voidAll(tx, account.id, 'reset_password');
        await app.mailer.queue(tx, {
          to: account.email,
          lang: account.language,
          template: 'emailChanged',
          params: { username: account.username, email: link.newEmail },
        });
        await app.audit.account(tx, account.id, 'email.changed');
      });
      if (request.sso)
        return show(request, reply, { notice: { kind: 'success', text: t(request)('account.email.changed') } });
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('account.email.title'),
        html`<h1 class="kern-heading-large">${p.t('account.email.title')}</h1>${alert('success', p.t('account.email.changed'))}<p class="kern-body"><a class="kern-link" href="/login">${p.t('nav.login')}</a></p>`,
      );
    });

    // Issue 13, point 2a: the citizen may let the password alone do for services that need only niedrig.
    fastify.post('/account/second-factor-login', needsSecondFactor, async (request, reply) => {
      const { form, accountId } = await guarded(request);
      // Only with a second factor to choose about: set beforehand, it would silently weaken the one added later.
      if ((await secondFactors(app.db, accountId)).size === 0) throw new AppError('bad_request');
      const enough = form.password_enough === 'yes';
      if (enough !== (await passwordEnoughForLow(app.db, accountId))) {
        await app.db.transaction(async (tx) => {
          await setPasswordEnoughForLow(tx, accountId, enough);
          await app.audit.account(tx, accountId, enough ? 'second_factor_login.off' : 'second_factor_login.on');
          // Weakening the login is told to the owner, like every change of the means.
          if (enough) await notifyChange(app, tx, accountId, 'secondFactorOff');
        });
      }
      return show(request, reply, {
        notice: {
          kind: 'success',
          text: t(request)(enough ? 'account.secondFactorLogin.savedOff' : 'account.secondFactorLogin.savedOn'),
        },
      });
    });

    fastify.post('/account/services/revoke', needsSecondFactor, async (request, reply) => {
      const { form, accountId } = await guarded(request);
      const serviceId = (form.service ?? '').slice(0, 200);
      const service = await app.services.byId(serviceId);
      if (!service) throw new AppError('bad_request');
      await app.db.transaction(async (tx) => {
        await app.repos(tx).consents.revoke(accountId, serviceId, app.clock.now());
        // Revoking consent also revokes the service's refresh and access tokens.
        await app.logout.revokeService(tx, accountId, serviceId);
        await app.audit.record(tx, {
          actor: `account:${accountId}`,
          action: 'consent.revoked',
          subject: `service:${serviceId}`,
          outcome: 'success',
        });
      });
      return show(request, reply, {
        notice: { kind: 'success', text: t(request)('account.services.revoked', { service: service.displayName }) },
      });
    });

    fastify.get('/account/export', needsSecondFactor, async (request, reply) => {
      const account = await current(request);
      if (!account) return reply.redirect('/login?return=/account', 303);
      const data = await exportAccount(app.db, account, app.clock.now());
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="servicekonto-daten.json"')
        .header('cache-control', 'no-store')
        .send(JSON.stringify(data, null, 2));
    });

    fastify.post('/account/delete', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = await guarded(request);
      const reauth = await reauthState(app, session);
      const { values, errors } = checkFields(form, [
        { name: 'delete_password', max: 256, required: reauth.hasPassword },
      ]);
      if (errors.length > 0) return show(request, reply, { errors }, 400);
      if (!(await confirmsIdentity(app, session, values.delete_password))) {
        return show(request, reply, { errors: [reauthError(reauth, 'delete_password')] }, 400);
      }
      await app.db.transaction(async (tx) => {
        // Every protocol's services hear of it and lose their tokens (session/logout-fan-out.ts) before the account
        // goes.
        await app.logout.endAccount(tx, accountId);
        await app.repos(tx).accounts.remove(accountId);
        // The audit entry keeps only the id: the personal data are gone (DESIGN.md §7).
        await app.audit.account(tx, accountId, 'account.deleted');
      });
      reply.clearCookie(app.cookies.session, cookieOptions(app.config.production));
      request.sso = undefined;
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('account.delete.doneTitle'),
        html`<h1 class="kern-heading-large">${p.t('account.delete.doneTitle')}</h1>${alert('success', p.t('account.delete.done'))}<p class="kern-body"><a class="kern-link" href="/">${p.t('error.toHome')}</a></p>`,
      );
    });
  };
}
