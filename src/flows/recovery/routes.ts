import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { endLoginsEverywhere } from '../../session/end-everywhere.ts';
import { passwordProblem } from '../../methods/password/policy.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { credentialRepository } from '../../identity/credential-repository.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds } from '../email-links.ts';
import { mailRequest } from '../mail-request.ts';
import { checkEmail } from '../validation.ts';
import { requestPage, resetDonePage, resetPage } from './page.ts';

/**
 * Whether a password reset by mail may reach this account. Not when the
 * account has a card linked (it was registered with the eID) and its
 * address was never confirmed: that address is only what was typed into
 * the registration form, and the reset link would both set a password and
 * mark the address verified, so whoever holds (or typed) that mailbox could
 * take over an account the card holder never proved was theirs (account
 * takeover through an unconfirmed address). Such an account is recovered
 * with the card; once the citizen confirms the address and has set a
 * password, the mail works as for every account. Every link, not only the
 * sector's current one, counts.
 */
async function resetByMailAllowed(
  db: Queryable,
  account: { id: string; emailVerifiedAt: Date | null },
): Promise<boolean> {
  const { eidLinked, hasPassword } = await credentialRepository(db).summary(account.id);
  if (!eidLinked) return true;
  // An account entered with the card only has no password to reset: a first password is set
  // on Mein Konto after an eID login, never through the mailbox (the card stays the proof).
  return account.emailVerifiedAt !== null && hasPassword;
}

/**
 * Forgotten password and forgotten username. Neither form reveals whether an
 * account exists: the answer is the same, and the request does the same work
 * for every identifier (the lookup and the mail run in a job, mail-request.ts).
 */
export function recoveryRoutes(app: AppContext) {
  const links = emailLinks(app.clock);
  const requests = {
    password: mailRequest(app, 'reset_password', async (tx, identifier) => {
      const found = await app.repos(tx).accounts.byLogin(identifier);
      if (!found) return;
      // No reset mail to an unconfirmed address of an eID account: the same answer as for an unknown address.
      if (!(await resetByMailAllowed(tx, found))) {
        await app.audit.record(tx, {
          actor: 'anonymous',
          action: 'recovery.password_requested',
          subject: `account:${found.id}`,
          outcome: 'failure',
          details: { reason: 'email_unconfirmed_eid' },
        });
        return;
      }
      const token = await links.issue(tx, found.id, 'reset_password');
      await app.mailer.queue(tx, {
        to: found.email,
        lang: found.language,
        template: 'reset',
        params: { username: found.username, minutes: linkLifetimeSeconds.reset_password / 60 },
        link: `${app.config.publicUrl}/reset-password?token=${token}`,
      });
      await app.audit.record(tx, {
        actor: 'anonymous',
        action: 'recovery.password_requested',
        subject: `account:${found.id}`,
        outcome: 'success',
      });
    }),
    username: mailRequest(app, 'username', async (tx, identifier) => {
      const found = await app.repos(tx).accounts.byEmail(identifier);
      if (!found) return;
      await app.mailer.queue(tx, {
        to: found.email,
        lang: found.language,
        template: 'username',
        params: { username: found.username },
        link: `${app.config.publicUrl}/login`,
      });
      await app.audit.record(tx, {
        actor: 'anonymous',
        action: 'recovery.username_requested',
        subject: `account:${found.id}`,
        outcome: 'success',
      });
    }),
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    for (const kind of ['password', 'username'] as const) {
      const path = kind === 'password' ? '/forgot-password' : '/forgot-username';
      const title = kind === 'password' ? 'forgotPassword.title' : 'forgotUsername.title';

      fastify.get(path, async (request, reply) => {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t(title), requestPage(p, { kind, eid: app.eid !== undefined }));
      });

      fastify.post(path, async (request, reply) => {
        const form = readForm(request.body);
        const { values, errors } = checkFields(form, [{ name: 'identifier', max: 320 }]);
        const identifier = values.identifier ?? '';
        if (kind === 'username' && errors.length === 0) {
          const error = checkEmail('identifier', identifier);
          if (error) errors.push(error);
        }
        const p = pageContext(app, request, reply);
        if (errors.length > 0)
          return sendPage(
            reply,
            p,
            p.t(title),
            requestPage(p, { kind, value: identifier, errors, eid: app.eid !== undefined }),
            400,
          );
        await app.rateLimiter.hit(`mail:ip:${request.ip}`, 10, 3600);
        await app.rateLimiter.hit(`mail:${kind}:${identifier.toLowerCase()}`, 3, 3600);

        await requests[kind](identifier);
        return sendPage(reply, p, p.t(title), requestPage(p, { kind, sent: true, eid: app.eid !== undefined }));
      });
    }

    /**
     * A link issued before (or through the registration form's "already registered" mail) is refused like an invalid
     * one.
     */
    const allowedLink = async (db: Queryable, accountId: string): Promise<void> => {
      const account = await app.repos(db).accounts.byId(accountId);
      if (!account || !(await resetByMailAllowed(db, account))) throw new AppError('link_invalid');
    };

    fastify.get('/reset-password', async (request, reply) => {
      const token = readQuery(request.query).token;
      const record = await links.peek(app.db, token, 'reset_password');
      await allowedLink(app.db, record.accountId);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('reset.title'), resetPage(p, { token: token ?? '' }));
    });

    fastify.post('/reset-password', async (request, reply) => {
      const form = readForm(request.body);
      const token = form.token;
      const record = await links.peek(app.db, token, 'reset_password');
      await allowedLink(app.db, record.accountId);
      const account = await app.accounts.byId(record.accountId);
      const { values, errors } = checkFields(form, [
        { name: 'password', max: 256 },
        { name: 'password2', max: 256 },
      ]);
      const password = values.password ?? '';
      // Each field's own problem at once, as at registration: a weak password is said even while the repetition
      // is still empty, not only on the next round trip.
      const has = (field: string) => errors.some((e) => e.field === field);
      const problem = has('password')
        ? undefined
        : passwordProblem(password, { username: account?.username ?? '', email: account?.email ?? '' });
      if (problem) errors.push({ field: 'password', message: problem });
      else if (!has('password') && !has('password2') && password !== values.password2)
        errors.push({ field: 'password2', message: 'register.passwordMismatch' });
      const p = pageContext(app, request, reply);
      if (errors.length > 0)
        return sendPage(reply, p, p.t('reset.title'), resetPage(p, { token: token ?? '', errors }), 400);

      const hash = await app.hasher.hash(password);
      await app.db.transaction(async (tx) => {
        const link = await links.consume(tx, token, 'reset_password');
        await allowedLink(tx, link.accountId);
        await app.repos(tx).passwords.set(link.accountId, hash);
        // The mail proved control of the address: it counts as verified now.
        await app.repos(tx).accounts.markEmailVerified(link.accountId, app.clock.now());
        // A reset ends every session of the account: SSO sessions and every OIDC session and token.
        await endLoginsEverywhere(app, tx, link.accountId);
        await app.audit.account(tx, link.accountId, 'password.reset');
      });
      reply.clearCookie(app.cookies.session, cookieOptions(app.config.production));
      request.sso = undefined;
      const done = pageContext(app, request, reply);
      return sendPage(reply, done, done.t('reset.title'), resetDonePage(done));
    });
  };
}
