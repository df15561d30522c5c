import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { accountRepository } from '../../identity/accounts.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { passwordStore } from '../../methods/password/store.ts';
import { passwordProblem } from '../../methods/password/policy.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { pageContext, safeReturnTo, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds } from '../email-links.ts';
import { mailRequest } from '../mail-request.ts';
import { checkEmail, usernamePattern } from '../validation.ts';
import { registrationPage, sentPage, verifiedPage } from './page.ts';

/** Registration with e-mail double opt-in (DESIGN.md §2). */
export function registrationRoutes(app: AppContext) {
  const links = emailLinks(app.clock);
  const hours = linkLifetimeSeconds.verify_email / 3600;
  // A new confirmation link, looked up and mailed in a job so the form answers alike for every address (mail-request.ts).
  const resend = mailRequest(app, 'verify_email', async (tx, email) => {
    const account = await accountRepository(tx).byEmail(email);
    if (!account || account.emailVerifiedAt) return;
    const token = await links.issue(tx, account.id, 'verify_email');
    await app.mailer.queue(tx, { to: account.email, lang: account.language, template: 'verify', params: { username: account.username, hours }, link: `${app.config.publicUrl}/verify-email?token=${token}` });
  });

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/register', async (request, reply) => {
      const p = pageContext(app, request, reply);
      const returnTo = safeReturnTo(readQuery(request.query).return);
      return sendPage(reply, p, p.t('register.title'), registrationPage(p, { eid: app.eid !== undefined, ...(returnTo ? { returnTo } : {}) }));
    });

    fastify.post('/register', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const returnTo = safeReturnTo(form.return);
      const { values, errors } = checkFields(form, [
        { name: 'username', max: 64 },
        { name: 'email', max: 254 },
        { name: 'password', max: 256 },
        { name: 'password2', max: 256 },
      ]);
      const has = (field: string) => errors.some((e) => e.field === field);
      const username = values.username ?? '';
      const email = values.email ?? '';
      const password = values.password ?? '';
      if (!has('username') && !usernamePattern.test(username)) errors.push({ field: 'username', message: 'register.usernameInvalid' });
      const emailError = has('email') ? undefined : checkEmail('email', email);
      if (emailError) errors.push(emailError);
      const problem = has('password') ? undefined : passwordProblem(password, { username, email });
      if (problem) errors.push({ field: 'password', message: problem });
      else if (!has('password2') && password !== values.password2) errors.push({ field: 'password2', message: 'register.passwordMismatch' });

      const p = pageContext(app, request, reply);
      const fail = (list: FieldError[]) =>
        sendPage(reply, p, p.t('register.title'), registrationPage(p, { eid: app.eid !== undefined, values: { username, email }, errors: list, ...(returnTo ? { returnTo } : {}) }), 400);
      if (errors.length > 0) return fail(errors);

      await app.rateLimiter.hit(`register:ip:${request.ip}`, 10, 3600);
      const taken = await app.accounts.usernameOrEmailTaken(username, email);
      if (taken.username) return fail([{ field: 'username', message: 'register.usernameTaken' }]);

      const hash = await app.hasher.hash(password);
      const existing = taken.email ? await app.accounts.byEmail(email) : undefined;
      // Over the limit nothing is sent, silently: the answer must not differ.
      const mayMail = existing ? await app.rateLimiter.allow(`mail:to:${email.toLowerCase()}`, 3, 3600) : true;
      try {
        await app.db.transaction(async (tx) => {
          if (existing) {
            // The address has an account: tell its owner instead, with a way back in. Never
            // confirm someone else's password for this mailbox (account pre-hijacking).
            if (!mayMail) return;
            const token = await links.issue(tx, existing.id, 'reset_password');
            await app.mailer.queue(tx, { to: existing.email, lang: existing.language, template: 'already', params: { username: existing.username, minutes: linkLifetimeSeconds.reset_password / 60 }, link: `${app.config.publicUrl}/reset-password?token=${token}` });
            return;
          }
          const account = await accountRepository(tx).create({ username, email, language: request.lang, verified: false });
          await passwordStore(tx).set(account.id, hash);
          const token = await links.issue(tx, account.id, 'verify_email', returnTo ? { returnTo } : {});
          await app.mailer.queue(tx, { to: email, lang: request.lang, template: 'verify', params: { username, hours }, link: `${app.config.publicUrl}/verify-email?token=${token}` });
          await app.audit.record(tx, { actor: `account:${account.id}`, action: 'account.registered', subject: `account:${account.id}`, outcome: 'success' });
        });
      } catch (error) {
        // A parallel registration took the name or address first (unique index).
        if (isUniqueViolation(error)) return fail([{ field: 'username', message: 'register.usernameTaken' }]);
        throw error;
      }
      app.mailer.flush();
      // An address already registered gets the same answer, so the form does not reveal who has an account.
      return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, { email }));
    });

    fastify.get('/register/sent', async (request, reply) => {
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('register.sentTitle'), sentPage(p, {}));
    });

    fastify.post('/register/resend', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
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
      const link = await app.db.transaction(async (tx) => {
        const record = await links.consume(tx, token, 'verify_email');
        await accountRepository(tx).markEmailVerified(record.accountId, app.clock.now());
        await app.audit.record(tx, { actor: `account:${record.accountId}`, action: 'account.email_verified', subject: `account:${record.accountId}`, outcome: 'success' });
        return record;
      });
      const p = pageContext(app, request, reply);
      const next = safeReturnTo(link.returnTo ?? undefined) ?? '/login';
      return sendPage(reply, p, p.t('verify.doneTitle'), verifiedPage(p, next));
    });
  };
}
