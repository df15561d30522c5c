import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readQuery } from '../../platform/http/forms.ts';
import { alert } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds, type EmailLinks } from '../email-links.ts';
import { checkEmail } from '../validation.ts';
import type { AccountView } from './account-view.ts';
import { needsSecondFactor } from './guard.ts';
import { confirmsIdentity, reauthError, reauthState } from './reauth.ts';

/** A new e-mail address: asked for on "Mein Konto", taken only once a link sent to it is opened. */
export function emailRoutes(app: AppContext, view: AccountView) {
  const links = emailLinks(app.clock);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/email', needsSecondFactor, async (request, reply) => {
      const { form, accountId, session } = view.guarded(request);
      const account = await view.current(request);
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
      if (errors.length > 0 || !account)
        return view.show(request, reply, 'profile', { errors, values: { new_email: email } }, 400);
      // The address is how an account is recovered: changing it needs the password, or without one a fresh eID login
      // (OWASP ASVS 2.5).
      if (!(await confirmsIdentity(app, session, values.email_password))) {
        return view.show(
          request,
          reply,
          'profile',
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
      return view.done(request, reply, 'profile', {
        kind: 'info',
        text: view.t(request)('account.email.sent', { email }),
      });
    });

    fastify.get('/confirm-email-change', async (request, reply) => {
      const token = readQuery(request.query).token;
      await takeNewEmail(app, links, token);
      if (request.sso)
        return view.done(request, reply, 'profile', {
          kind: 'success',
          text: view.t(request)('account.email.changed'),
        });
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('account.email.title'),
        html`<h1 class="kern-heading-large">${p.t('account.email.title')}</h1>${alert('success', p.t('account.email.changed'))}<p class="kern-body"><a class="kern-link" href="/login">${p.t('nav.login')}</a></p>`,
      );
    });
  };
}

/** The link opened: the new address replaces the old, which hears of it; links sent to the old one stop working. */
async function takeNewEmail(app: AppContext, links: EmailLinks, token: string | undefined): Promise<void> {
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
}
