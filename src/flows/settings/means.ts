import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { startSession } from '../login/complete-login.ts';
import { confirmTotpEnrolment, totpEnrolment } from '../step-up/enrolment.ts';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { recoveryCodesPage, totpSetupPage } from '../step-up/page.ts';
import { raiseSession } from '../step-up/raise.ts';
import { parseCeremonyResponse } from '../step-up/webauthn-routes.ts';
import { hasControlCharacters } from '../validation.ts';
import { alert } from '../../web/components.ts';

export interface Means {
  id: string;
  kind: 'password' | 'totp' | 'webauthn';
  /** The name the citizen gave a security key. */
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** For the app: recovery codes still unused. */
  recoveryCodesLeft?: number;
}

/** The citizen's registered authentication means (TR-03160-1: the citizen sees the list). */
export async function listMeans(app: AppContext, accountId: string): Promise<Means[]> {
  const result = await app.db.query<{ id: string; kind: 'password' | 'totp' | 'webauthn'; display_name: string | null; created_at: Date; last_used_at: Date | null }>(
    `SELECT id, kind, display_name, created_at, last_used_at FROM authentication_means
     WHERE account_id = $1 AND blocked_at IS NULL AND (kind IN ('password', 'webauthn') OR (kind = 'totp' AND coalesce((public_data->>'confirmed')::boolean, false)))
     ORDER BY created_at`,
    [accountId],
  );
  const left = await app.methods.recovery.remaining(app.db, accountId);
  return result.rows.map((r) => ({ id: r.id, kind: r.kind, name: r.display_name, createdAt: r.created_at, lastUsedAt: r.last_used_at, ...(r.kind === 'totp' ? { recoveryCodesLeft: left } : {}) }));
}

/**
 * Setting up and removing the software token from "Mein Konto". Adding a
 * means needs a login at the account's current maximum level and a
 * confirmation with the new means in the same session (TR-03160-1); one
 * token per account, so a session can never swap an existing one.
 */
export function meansRoutes(app: AppContext, show: (request: FastifyRequest, reply: FastifyReply, notice: string, errors?: FieldError[]) => Promise<FastifyReply>) {
  const totp = app.methods.totp;
  const setupPage = async (request: FastifyRequest, reply: FastifyReply, accountId: string, invalid = false) => {
    const { secret, qrDataUrl } = await totpEnrolment(app, accountId);
    const p = pageContext(app, request, reply);
    const body = totpSetupPage(p, {
      action: '/account/totp/setup',
      intro: p.t('totp.setupIntroAccount'),
      cancel: html`<p class="kern-body"><a class="kern-link" href="/account">${p.t('form.cancel')}</a></p>`,
      secret,
      qrDataUrl,
      ...(invalid ? { errors: [{ field: 'code', message: 'totp.invalid' as const }] } : {}),
    });
    return sendPage(reply, p, p.t('totp.setupTitle'), body, invalid ? 400 : 200);
  };

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/account/totp/setup', async (request, reply) => {
      const session = request.sso;
      if (!session) return reply.redirect('/login?return=/account', 303);
      if (await totp.hasConfirmed(app.db, session.accountId)) return reply.redirect('/account', 303);
      return setupPage(request, reply, session.accountId);
    });

    fastify.post('/account/totp/setup', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      if (await totp.hasConfirmed(app.db, session.accountId)) return reply.redirect('/account', 303);
      const codes = await confirmTotpEnrolment(app, session.accountId, form.code ?? '');
      if (!codes) return setupPage(request, reply, session.accountId, true);
      // The new means was just used: the session now has both factors.
      await raiseSession(app, request, reply, session, totp.amr);
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), html`${alert('success', p.t('means.totpAdded'))}${recoveryCodesPage(p, codes, '/account')}`);
    });

    fastify.post('/account/recovery-codes', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      if (!(await totp.hasConfirmed(app.db, session.accountId))) return reply.redirect('/account', 303);
      const { values } = checkFields(form, [{ name: 'renew_password', max: 256 }]);
      if (!(await app.methods.password.reauthenticate(session.accountId, values.renew_password ?? ''))) {
        return show(request, reply, '', [{ field: 'renew_password', message: 'account.password.wrong' }]);
      }
      const codes = await app.db.transaction(async (tx) => {
        await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'means.recovery_codes_renewed', subject: `account:${session.accountId}`, outcome: 'success' });
        return app.methods.recovery.renew(tx, session.accountId);
      });
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('recovery.title'), recoveryCodesPage(p, codes, '/account'));
    });

    // TR-03160-1: a further means needs a login at the account's current maximum: with a second factor registered, the session must have used one.
    const mayAdd = async (session: { accountId: string; amr: string[] }) =>
      session.amr.includes('mfa') || !((await totp.hasConfirmed(app.db, session.accountId)) || (await app.methods.webauthn.has(app.db, session.accountId)));

    fastify.post('/account/webauthn/options', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const session = request.sso;
      const account = session ? await app.accounts.byId(session.accountId) : undefined;
      if (!session || !account) throw new AppError('session_expired');
      if (!(await mayAdd(session))) throw new AppError('bad_request');
      return reply.header('cache-control', 'no-store').send(await app.methods.webauthn.registrationOptions(app.db, session.id, account));
    });

    fastify.post('/account/webauthn', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      if (!(await mayAdd(session))) return show(request, reply, '', [{ field: 'key_name', message: 'means.needsMfa' }]);
      const { values, errors } = checkFields(form, [{ name: 'key_name', max: 60 }]);
      const name = values.key_name ?? '';
      if (errors.length === 0 && hasControlCharacters(name)) errors.push({ field: 'key_name', message: 'attr.invalidText' });
      if (errors.length > 0) return show(request, reply, '', errors);
      const response = parseCeremonyResponse<RegistrationResponseJSON>(form.response);
      const added = response !== undefined && (await app.db.transaction(async (tx) => {
        if (!(await app.methods.webauthn.register(tx, session.id, session.accountId, response, name))) return false;
        await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'means.added', subject: `account:${session.accountId}`, outcome: 'success', details: { kind: 'webauthn' } });
        return true;
      }));
      if (!added) return show(request, reply, '', [{ field: 'key_name', message: 'webauthn.invalid' }]);
      // TR-03160-1: the new means confirmed itself in this session; the session now has both factors.
      await raiseSession(app, request, reply, session, app.methods.webauthn.amr);
      return show(request, reply, pageContext(app, request, reply).t('webauthn.added', { name }));
    });

    fastify.post('/account/webauthn/remove', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      const { values } = checkFields(form, [
        { name: 'means_id', max: 36 },
        { name: 'key_password', max: 256 },
      ]);
      if (!(await app.methods.password.reauthenticate(session.accountId, values.key_password ?? ''))) {
        return show(request, reply, '', [{ field: `key_password-${values.means_id ?? ''}`, message: 'account.password.wrong' }]);
      }
      const removed = await app.db.transaction(async (tx) => {
        // Only a key of this account: the id comes from the form.
        const result = await tx.query("DELETE FROM authentication_means WHERE id::text = $1 AND account_id = $2 AND kind = 'webauthn'", [values.means_id ?? '', session.accountId]);
        if (result.rowCount === 1) await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'means.removed', subject: `account:${session.accountId}`, outcome: 'success', details: { kind: 'webauthn' } });
        return result.rowCount === 1;
      });
      if (!removed) throw new AppError('bad_request');
      // With no second factor left, the session falls back to the password's level.
      if (!(await totp.hasConfirmed(app.db, session.accountId)) && !(await app.methods.webauthn.has(app.db, session.accountId))) {
        await startSession(app, request, reply, session.accountId, 2, ['pwd']);
      }
      return show(request, reply, pageContext(app, request, reply).t('webauthn.removed'));
    });

    fastify.post('/account/totp/remove', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const session = request.sso;
      if (!session) throw new AppError('session_expired');
      const { values } = checkFields(form, [{ name: 'remove_password', max: 256 }]);
      if (!(await app.methods.password.reauthenticate(session.accountId, values.remove_password ?? ''))) {
        return show(request, reply, '', [{ field: 'remove_password', message: 'account.password.wrong' }]);
      }
      await app.db.transaction(async (tx) => {
        await tx.query("DELETE FROM authentication_means WHERE account_id = $1 AND kind = 'totp'", [session.accountId]);
        // Recovery codes stand in for the app; without it they have nothing to stand in for.
        await app.methods.recovery.removeAll(tx, session.accountId);
        await app.audit.record(tx, { actor: `account:${session.accountId}`, action: 'means.removed', subject: `account:${session.accountId}`, outcome: 'success', details: { kind: 'totp' } });
      });
      // The account's maximum level drops; so does this session's (password only now).
      await startSession(app, request, reply, session.accountId, 2, ['pwd']);
      return show(request, reply, pageContext(app, request, reply).t('means.totpRemoved'));
    });
  };
}
