import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import { loadInteraction } from '../../oidc/interaction.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds, type LinkRecord } from '../email-links.ts';
import { mailRequest } from '../mail-request.ts';
import { checkEmail } from '../validation.ts';
import { setActivatedNotice } from './activated-notice.ts';
import { afterConfirmation, freshLogin } from './after-confirmation.ts';
import { alreadyActivePage, confirmPage, sentPage } from './page.ts';
import { sentAddress } from './sent-address.ts';

/**
 * The double opt-in after registering: the "mail sent" page, a new link on
 * request, the link's page with its button, and the way back to the service.
 */
export function confirmationRoutes(app: AppContext) {
  const links = emailLinks(app.clock);
  const hours = linkLifetimeSeconds.verify_email / 3600;
  /** A confirmation racing another for the same address loses on the unique index, like a stale link. */
  const confirmLink = async <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => {
    try {
      return await app.db.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('link_invalid');
      throw error;
    }
  };
  // A new confirmation link, looked up and mailed in a job so the form answers alike for every address
  // (mail-request.ts).
  const resend = mailRequest(app, 'verify_email', async (tx, email) => {
    // Not when the address belongs to an account already: that registration can no longer be confirmed.
    if (await app.repos(tx).accounts.byEmail(email)) return;
    const account = await app.repos(tx).accounts.unconfirmedByEmail(email);
    if (!account) return;
    const token = await links.issue(tx, account.id, 'verify_email');
    await app.mailer.queue(tx, {
      to: account.email,
      lang: account.language,
      template: 'verify',
      params: { username: account.username, hours },
      link: `${app.config.publicUrl}/verify-email?token=${token}`,
    });
  });

  /** The open link, or undefined when it is used, expired or unknown. */
  const openLink = (token: string | undefined) =>
    links.peek(app.db, token, 'verify_email').catch((error: unknown) => {
      if (error instanceof AppError) return undefined;
      throw error;
    });
  /** A used link whose account is active: the confirmation happened (by this link or a newer one). */
  const confirmedLink = async (token: string | undefined): Promise<LinkRecord | undefined> => {
    const used = await links.used(app.db, token, 'verify_email');
    const account = used ? await app.accounts.byId(used.accountId) : undefined;
    return account?.emailVerifiedAt ? used : undefined;
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    // Post/redirect/get (issue 15, point 1): reloading this page shows it again, it never posts the form again.
    fastify.get('/register/sent', async (request, reply) => {
      const p = pageContext(app, request, reply);
      // After "send again" the page says so, without an address: the one asked for may differ.
      if (readQuery(request.query).resent === '1')
        return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, { resent: true }));
      const email = sentAddress(request, app.config.production);
      return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, email ? { email } : {}));
    });

    fastify.post('/register/resend', async (request, reply) => {
      const form = readForm(request.body);
      const { values, errors } = checkFields(form, [{ name: 'email', max: 254 }]);
      const email = values.email ?? '';
      const emailError = errors.length === 0 ? checkEmail('email', email) : undefined;
      if (emailError) errors.push(emailError);
      const p = pageContext(app, request, reply);
      if (errors.length > 0) return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, { errors }), 400);
      await app.rateLimiter.hit(`mail:ip:${request.ip}`, 10, 3600);
      await app.rateLimiter.hit(`mail:to:${email.toLowerCase()}`, 3, 3600);
      await resend(email);
      // Post/redirect/get here too: a reload must not send yet another mail.
      return reply.redirect('/register/sent?resent=1', 303);
    });

    // Opening the link shows the button and changes nothing: mail scanners fetch links before the
    // citizen does (issue 15, point 1). Opened again after the confirmation, it says so; no error.
    fastify.get('/verify-email', async (request, reply) => {
      const token = readQuery(request.query).token;
      const p = pageContext(app, request, reply);
      const open = await openLink(token);
      const account = open ? await app.accounts.byId(open.accountId) : undefined;
      // Another registration confirmed the address first: this link can no longer confirm it (migration 0008).
      const taken = account ? await app.accounts.byEmail(account.email) : undefined;
      if (token && account && !account.emailVerifiedAt && !taken)
        return sendPage(reply, p, p.t('confirm.title'), confirmPage(p, { token, username: account.username }));
      const used = await confirmedLink(token);
      if (!used) throw new AppError('link_invalid');
      const next = await afterConfirmation(app, request, used);
      return sendPage(reply, p, p.t('confirm.activeTitle'), alreadyActivePage(p, next));
    });

    // The button. No CSRF cookie: the link's token is the proof (only the mailbox holds it), so the
    // confirmation works in a browser that never saw this site, e.g. the phone's mail app.
    fastify.post('/verify-email', { config: { csrf: false } }, async (request, reply) => {
      const token = readForm(request.body).token;
      let link: LinkRecord;
      try {
        link = await confirmLink(async (tx) => {
          const record = await links.consume(tx, token, 'verify_email');
          // Another registration confirmed this address first: this one can no longer have it.
          if (!(await app.repos(tx).accounts.markEmailVerified(record.accountId, app.clock.now())))
            throw new AppError('link_invalid');
          await app.audit.account(tx, record.accountId, 'account.email_verified');
          return record;
        });
      } catch (error) {
        // Pressed twice, or in two tabs: the account is active, which the link's page says.
        if (token && error instanceof AppError && (await confirmedLink(token)))
          return reply.redirect(`/verify-email?token=${encodeURIComponent(token)}`, 303);
        throw error;
      }
      setActivatedNotice(reply, app.config.production);
      return reply.redirect(await afterConfirmation(app, request, link), 303);
    });

    // The way back into a service's OIDC login, decided below the interaction's path, where
    // oidc-provider's interaction cookie is sent: this browser's login if it still waits, else a fresh one.
    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/resume', async (request, reply) => {
      const waiting = await loadInteraction(app, request, reply).catch((error: unknown) => {
        if (error instanceof AppError) return undefined;
        throw error;
      });
      if (waiting) return reply.redirect(`/interaction/${waiting.uid}`, 303);
      return reply.redirect(await freshLogin(app, readQuery(request.query).service), 303);
    });
  };
}
