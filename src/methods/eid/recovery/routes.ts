/**
 * Exports `recoveryEidRoutes(app)`: the forms after the card was read for a
 * recovery (design notes §6 Recovery by eID; the reading itself is
 * `recoveryEidScope` with the shared eID routes).
 *
 * - `POST /recover/eid/identify`: a card not linked yet names its account;
 *   the data verified at hoch decide.
 * - `POST /recover/eid/complete`: the new password, optionally every second
 *   factor blocked, every session ended; then a session at the card's level
 *   (method `eid`), so new means can be enrolled at once, and "Mein Konto".
 *
 * Both count only in the browser that read the card, with a reading not
 * used yet (`boundReading`); the recovery takes the reading in its own
 * database transaction, so a second submit recovers nothing. Limits: per
 * address (every step), per named account and per recovered account.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { eidAmr, eidLevel } from '../service.ts';
import { passwordProblem } from '../../password/policy.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { checkFields, readForm } from '../../../platform/http/forms.ts';
import type { FieldError } from '../../../web/components.ts';
import { pageContext, sendPage } from '../../../web/page.ts';
import { bindingProblemPage, boundReading, type BindingProblem } from '../reading/binding.ts';
import { startSession } from '../../../flows/login/complete-login.ts';
import { recoveryAccount } from './account.ts';
import { identifyPage, newPasswordPage } from './page.ts';
import { recoverWithEid } from './recover.ts';
import { limitRecovery, nextRecoveryStep, recoveryBase } from '../../../flows/recovery/eid-scope.ts';

const expected = { bases: [recoveryBase], purposes: ['recover'] } as const;

export function recoveryEidRoutes(app: AppContext) {
  const refuse = (request: FastifyRequest, reply: FastifyReply, problem: BindingProblem) => {
    const p = pageContext(app, request, reply);
    const page = bindingProblemPage(p, problem, `${recoveryBase}/eid`);
    return sendPage(reply, p, page.title, page.body, 400);
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/recover/eid/identify', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      await limitRecovery(app, request);
      const bound = await boundReading(app, request, form, expected);
      if (!bound.ok) return refuse(request, reply, bound.problem);
      const { values, errors } = checkFields(form, [{ name: 'identifier', max: 320 }]);
      const identifier = values.identifier ?? '';
      if (errors.length > 0) {
        const p = pageContext(app, request, reply);
        return sendPage(reply, p, p.t('recoverEid.noLink.title'), identifyPage(p, { ...bound, errors }), 400);
      }
      await app.rateLimiter.hit(`recover:eid:identifier:${identifier.toLowerCase()}`, 5, 3600);
      return nextRecoveryStep(
        app,
        request,
        reply,
        bound,
        await recoveryAccount(app, bound.reading, identifier),
        identifier,
      );
    });

    fastify.post('/recover/eid/complete', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      await limitRecovery(app, request);
      const bound = await boundReading(app, request, form, expected);
      if (!bound.ok) return refuse(request, reply, bound.problem);
      // Recovery happens at hoch only (TR-03160-1): checked again here, not only on the page before.
      if (eidLevel(bound.reading) !== 4) throw new AppError('bad_request');
      // Decided again from the reading, never from the earlier page.
      const found = await recoveryAccount(app, bound.reading, form.identifier);
      if (found.kind !== 'linked' && found.kind !== 'new_card')
        return nextRecoveryStep(app, request, reply, bound, found, form.identifier);
      const { account } = found;
      await app.rateLimiter.hit(`recover:eid:account:${account.id}`, 5, 24 * 3600);

      const { values, errors } = checkFields(form, [
        { name: 'password', max: 256 },
        { name: 'password2', max: 256 },
      ]);
      const password = values.password ?? '';
      const problem =
        errors.length === 0
          ? passwordProblem(password, { username: account.username, email: account.email })
          : undefined;
      if (problem) errors.push({ field: 'password', message: problem });
      else if (errors.length === 0 && password !== values.password2)
        errors.push({ field: 'password2', message: 'register.passwordMismatch' } satisfies FieldError);
      const block = form.block_factors === 'on';
      if (errors.length > 0) {
        const p = pageContext(app, request, reply);
        return sendPage(
          reply,
          p,
          p.t('recoverEid.title'),
          newPasswordPage(p, {
            ...bound,
            username: account.username,
            identifier: found.kind === 'new_card' ? form.identifier : undefined,
            block,
            errors,
          }),
          400,
        );
      }

      const recovered = await recoverWithEid(app, {
        account,
        transactionId: bound.transaction.id,
        passwordHash: await app.hasher.hash(password),
        linkCard: found.kind === 'new_card',
        blockFactors: block,
      });
      if (!recovered) return refuse(request, reply, 'expired');
      // Every session of the account ended above; this browser's own (perhaps another account's) ends too,
      // and nothing of it carries over to the new one.
      await app.sessions.end(request.cookies[app.cookies.session]);
      request.cookies[app.cookies.session] = undefined;
      await startSession(app, request, reply, account.id, 4, eidAmr(recovered.reading.eidType), 'eid');
      return reply.redirect('/account', 303);
    });
  };
}
