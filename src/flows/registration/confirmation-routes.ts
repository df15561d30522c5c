import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import { pageContext, safeReturnTo, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds } from '../email-links.ts';
import { mailRequest } from '../mail-request.ts';
import { checkEmail } from '../validation.ts';
import { sentPage, verifiedPage } from './page.ts';

/** The double opt-in after registering: the "mail sent" page, a new link on request, and the link itself. */
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

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/register/sent', async (request, reply) => {
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, {}));
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
      return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, { resent: true }));
    });

    // The link in the mail verifies at once: opening it is the confirmation (double opt-in).
    fastify.get('/verify-email', async (request, reply) => {
      const token = readQuery(request.query).token;
      const link = await confirmLink(async (tx) => {
        const record = await links.consume(tx, token, 'verify_email');
        // Another registration confirmed this address first: this one can no longer have it.
        if (!(await app.repos(tx).accounts.markEmailVerified(record.accountId, app.clock.now())))
          throw new AppError('link_invalid');
        await app.audit.account(tx, record.accountId, 'account.email_verified');
        return record;
      });
      const p = pageContext(app, request, reply);
      const next = safeReturnTo(link.returnTo ?? undefined) ?? '/login';
      return sendPage(reply, p, p.t('verify.doneTitle'), verifiedPage(p, next));
    });
  };
}
