import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { passwordProblem } from '../../methods/password/policy.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { pageContext, safeReturnTo, sendPage } from '../../web/page.ts';
import { checkEmail, usernamePattern } from '../validation.ts';
import { confirmationMail } from './confirmation-mail.ts';
import { confirmationRoutes } from './confirmation-routes.ts';
import { serviceOfReturn } from './after-confirmation.ts';
import { registrationPage } from './page.ts';
import { rememberSentAddress } from './sent-address.ts';
import { termsRepository } from './terms-repository.ts';
import { checkTerms, termsField, termsVersion } from './terms.ts';

/** Registration with e-mail double opt-in (DESIGN.md §2): the form here, the confirmation in confirmation-routes.ts. */
export function registrationRoutes(app: AppContext) {
  const queueConfirmation = confirmationMail(app);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/register', async (request, reply) => {
      const p = pageContext(app, request, reply);
      const returnTo = safeReturnTo(readQuery(request.query).return);
      return sendPage(
        reply,
        p,
        p.t('register.title'),
        registrationPage(p, { eid: app.eid !== undefined, ...(returnTo ? { returnTo } : {}) }),
      );
    });

    fastify.post('/register', async (request, reply) => {
      const form = readForm(request.body);
      const returnTo = safeReturnTo(form.return);
      const { values, errors } = checkFields(form, [
        { name: 'username', max: 64 },
        { name: 'email', max: 254 },
        { name: 'password', max: 256 },
        { name: 'password2', max: 256 },
        { name: termsField, max: 3, required: false },
      ]);
      const has = (field: string) => errors.some((e) => e.field === field);
      const username = values.username ?? '';
      const email = values.email ?? '';
      const password = values.password ?? '';
      if (!has('username') && !usernamePattern.test(username))
        errors.push({ field: 'username', message: 'register.usernameInvalid' });
      const emailError = has('email') ? undefined : checkEmail('email', email);
      if (emailError) errors.push(emailError);
      const problem = has('password') ? undefined : passwordProblem(password, { username, email });
      if (problem) errors.push({ field: 'password', message: problem });
      else if (!has('password2') && password !== values.password2)
        errors.push({ field: 'password2', message: 'register.passwordMismatch' });
      if (!has(termsField)) checkTerms(values, errors);

      const p = pageContext(app, request, reply);
      const fail = (list: FieldError[]) =>
        sendPage(
          reply,
          p,
          p.t('register.title'),
          registrationPage(p, {
            eid: app.eid !== undefined,
            values: { username, email, [termsField]: values[termsField] ?? '' },
            errors: list,
            ...(returnTo ? { returnTo } : {}),
          }),
          400,
        );
      if (errors.length > 0) return fail(errors);

      await app.rateLimiter.hit(`register:ip:${request.ip}`, 10, 3600);
      const taken = await app.accounts.usernameOrEmailTaken(username, email);
      if (taken.username) return fail([{ field: 'username', message: 'register.usernameTaken' }]);

      const hash = await app.hasher.hash(password);
      const serviceId = await serviceOfReturn(app, request, returnTo);
      try {
        // The same work whether or not the address belongs to an account; the mail job decides what to send.
        await app.db.transaction(async (tx) => {
          const r = app.repos(tx);
          const account = await r.accounts.create({ username, email, language: request.lang, verified: false });
          await r.passwords.set(account.id, hash);
          await termsRepository(tx).recordAcceptance(account.id, termsVersion, app.clock.now());
          await queueConfirmation(tx, account.id, returnTo, serviceId);
          await app.audit.account(tx, account.id, 'account.registered');
        });
      } catch (error) {
        // A parallel registration took the name first (unique index).
        if (isUniqueViolation(error)) return fail([{ field: 'username', message: 'register.usernameTaken' }]);
        throw error;
      }
      // An address already registered gets the same answer, so the form does not reveal who has an account.
      // Post/redirect/get: reloading the next page never posts the form again (issue 15, point 1).
      rememberSentAddress(reply, email, app.config.production);
      return reply.redirect('/register/sent', 303);
    });

    await fastify.register(confirmationRoutes(app));
  };
}
