/**
 * Exports `eidRegistrationRoutes(app)`: registering with the eID
 * (docs/eid-design-notes.md §6 "Register with eID").
 *
 * 1. `/register/eid` reads the full set at hoch (the eID scope below).
 * 2. A card that is linked already gets "there is an account" and the
 *    eID login; otherwise a form shows the data read and asks for the
 *    e-mail (required) and a username (optional, generated when empty).
 * 3. `POST /register/eid/complete` (CSRF, bound to the reading and this
 *    browser) creates, in one database transaction, the account, the
 *    level-4 identity data with their evidence, the card link, the
 *    confirmation mail's job and the audit entry; then a session at the
 *    eID's level with method `eid`.
 *
 * The e-mail is confirmed later (double opt-in as in DESIGN.md §2); the
 * eID login does not wait for it, since the card, not the mailbox, is
 * how the account is entered. Until then the address is only typed in:
 * it stays free for its owner (migration 0008), the form never says
 * whether it belongs to an account (the owner gets a mail instead,
 * confirmation-mail.ts), and a registration never confirmed expires
 * like every other (platform/jobs/housekeeping.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { identityFromCard } from '../identity.ts';
import { eidAmr, eidLevel } from '../service.ts';
import type { EidReading, EidTransaction } from '../transaction-repository.ts';
import { randomToken } from '../../../platform/crypto/tokens.ts';
import { isUniqueViolation } from '../../../platform/db/errors.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { checkFields, readForm, readQuery } from '../../../platform/http/forms.ts';
import type { FieldError } from '../../../web/components.ts';
import { pageContext, safeReturnTo, sendPage } from '../../../web/page.ts';
import { bindingProblemPage, boundReading, readingFields, storingRequest } from '../reading/binding.ts';
import { failedPage } from '../reading/page.ts';
import { eidRoutes } from '../reading/routes.ts';
import type { EidScope, EidState } from '../reading/scope.ts';
import { startSession } from '../../../flows/login/complete-login.ts';
import { checkEmail, usernamePattern } from '../../../flows/validation.ts';
import { confirmationMail } from '../../../flows/registration/confirmation-mail.ts';
import { serviceOfReturn } from '../../../flows/registration/after-confirmation.ts';
import { termsRepository } from '../../../flows/registration/terms-repository.ts';
import { checkTerms, termsField, termsVersion } from '../../../flows/registration/terms.ts';
import { eidAccountExistsPage, eidRegistrationPage } from '../../../flows/registration/page.ts';

const base = '/register';

/** The card is linked already (found before or while creating the account). */
class CardLinked extends Error {}

/** The eID login where the citizen came from: inside the service's login, or stand-alone. */
function loginHref(returnTo: string | undefined): string {
  return returnTo && /^\/(interaction|saml\/login)\//.test(returnTo) ? `${returnTo}/eid` : '/login/eid';
}

/** A username nobody has, for citizens who leave the field empty (the column is NOT NULL). */
async function freeUsername(app: AppContext): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const candidate = `konto-${randomToken(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}`;
    if (candidate.length >= 10 && !(await app.accounts.usernameOrEmailTaken(candidate, '')).username) return candidate;
  }
  throw new AppError('internal');
}

function eidRegistrationScope(app: AppContext): EidScope {
  return {
    prefix: base,
    async load(request, reply) {
      const returnTo = safeReturnTo(readQuery(request.query).return);
      const state: EidState = {
        base,
        purpose: 'register',
        title: 'eidAccount.register.handoverTitle',
        request: storingRequest,
        ...(returnTo && { context: { returnTo } }),
        back: {
          href: returnTo ? `/register?return=${encodeURIComponent(returnTo)}` : '/register',
          label: 'eidAccount.register.back',
        },
        finish: (transaction) => showForm(app, request, reply, state, transaction, request.params.ref ?? ''),
      };
      return state;
    },
  };
}

/** The form after a reading; a linked card or a reading below hoch stops here (and the reading is spent). */
async function showForm(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  state: EidState,
  transaction: EidTransaction,
  ref: string,
): Promise<FastifyReply> {
  const eid = app.eid;
  if (!eid) throw new AppError('not_found');
  const p = pageContext(app, request, reply);
  const reading = transaction.reading;
  const restrictedId = reading?.personalData.restrictedId?.id;
  if (!reading || !restrictedId)
    return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.error.technical'), 400);
  if (eidLevel(reading) !== 4) {
    await eid.transactions.use(transaction.id);
    return sendPage(reply, p, p.t('eid.failed.title'), failedPage(p, state, 'eid.lowLevel'), 400);
  }
  if (await eid.links.byRestrictedId(restrictedId)) {
    await eid.transactions.use(transaction.id);
    return sendPage(
      reply,
      p,
      p.t('eidAccount.exists.title'),
      eidAccountExistsPage(p, loginHref(transaction.context.returnTo)),
      409,
    );
  }
  return sendPage(
    reply,
    p,
    p.t('eidAccount.register.title'),
    eidRegistrationPage(p, { card: identityFromCard(reading), hidden: readingFields(transaction, ref) }),
  );
}

export function eidRegistrationRoutes(app: AppContext) {
  const queueConfirmation = confirmationMail(app);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    await fastify.register(eidRoutes(app, eidRegistrationScope(app)));

    fastify.post('/register/eid/complete', async (request, reply) => {
      const eid = app.eid;
      if (!eid) throw new AppError('not_found');
      const form = readForm(request.body);
      const p = pageContext(app, request, reply);
      const bound = await boundReading(app, request, form, { bases: [base], purposes: ['register'] });
      if (!bound.ok) {
        const page = bindingProblemPage(p, bound.problem, `${base}/eid`);
        return sendPage(reply, p, page.title, page.body, 400);
      }
      const { transaction } = bound;
      const returnTo = safeReturnTo(transaction.context.returnTo);

      const { values, errors } = checkFields(form, [
        { name: 'email', max: 254 },
        { name: 'username', max: 64, required: false },
      ]);
      const has = (field: string) => errors.some((e) => e.field === field);
      const email = values.email ?? '';
      const typedUsername = values.username ?? '';
      const emailError = has('email') ? undefined : checkEmail('email', email);
      if (emailError) errors.push(emailError);
      if (!has('username') && typedUsername !== '' && !usernamePattern.test(typedUsername))
        errors.push({ field: 'username', message: 'register.usernameInvalid' });
      checkTerms(form, errors);
      const fail = (list: FieldError[]) =>
        sendPage(
          reply,
          p,
          p.t('eidAccount.register.title'),
          eidRegistrationPage(p, {
            card: identityFromCard(bound.reading),
            hidden: readingFields(transaction, bound.ref),
            values: { email, username: typedUsername, [termsField]: form[termsField] ?? '' },
            errors: list,
          }),
          400,
        );
      if (errors.length > 0) return fail(errors);

      await app.rateLimiter.hit(`register:ip:${request.ip}`, 10, 3600);
      // Whether the address belongs to an account is never said: one reading could probe many addresses.
      // The account gets the address unconfirmed, like every registration; the mail job tells an owner.
      const taken = await app.accounts.usernameOrEmailTaken(typedUsername, email);
      if (taken.username) return fail([{ field: 'username', message: 'register.usernameTaken' }]);
      const username = typedUsername === '' ? await freeUsername(app) : typedUsername;

      const serviceId = await serviceOfReturn(app, request, returnTo);
      let created: { accountId: string; reading: EidReading } | undefined;
      try {
        created = await app.db.transaction(async (tx) => {
          const reading = await eid.transactions.use(transaction.id, tx);
          const restrictedId = reading?.personalData.restrictedId?.id;
          if (!reading || !restrictedId || eidLevel(reading) !== 4) return undefined;
          if (await eid.links.byRestrictedId(restrictedId, tx)) throw new CardLinked();
          const repos = app.repos(tx);
          const account = await repos.accounts.create({ username, email, language: request.lang, verified: false });
          await termsRepository(tx).recordAcceptance(account.id, termsVersion, app.clock.now());
          const card = identityFromCard(reading);
          await repos.attributes.setVerified(account.id, card.values, {
            source: 'eid',
            level: 4,
            at: app.clock.now(),
            evidence: card.evidence,
          });
          // Two registrations racing with one card: the unique link decides, the loser's account is rolled back.
          if (
            !(await eid.links.link(
              account.id,
              {
                restrictedId,
                documentType: reading.personalData.documentType ?? 'ID',
                eidType: reading.eidType ?? 'CardCertified',
              },
              tx,
            ))
          )
            throw new CardLinked();
          await queueConfirmation(tx, account.id, returnTo, serviceId);
          // No personal data in the audit trail (DESIGN.md §7): the kind of document only.
          await app.audit.account(tx, account.id, 'register.eid', {
            document: card.document,
            eid_type: card.evidence.eidType ?? 'CardCertified',
          });
          return { accountId: account.id, reading };
        });
      } catch (error) {
        if (error instanceof CardLinked) {
          await eid.transactions.use(transaction.id);
          return sendPage(reply, p, p.t('eidAccount.exists.title'), eidAccountExistsPage(p, loginHref(returnTo)), 409);
        }
        // A parallel registration took the name first (unique index); the reading is still unused.
        if (isUniqueViolation(error)) return fail([{ field: 'username', message: 'register.usernameTaken' }]);
        throw error;
      }
      if (!created) {
        const page = bindingProblemPage(p, 'expired', `${base}/eid`);
        return sendPage(reply, p, page.title, page.body, 400);
      }
      await startSession(app, request, reply, created.accountId, 4, eidAmr(created.reading.eidType), 'eid');
      return reply.redirect(returnTo ?? '/account', 303);
    });
  };
}
