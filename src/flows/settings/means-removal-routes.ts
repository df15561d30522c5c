import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { needsConfirmation, type ShowAccount } from '../../methods/means-account.ts';
import { removeMeans } from '../../methods/means-repository.ts';
import { mayAddMeans, secondFactors, type SecondFactorKind } from '../../methods/second-factors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { checkFields, readForm } from '../../platform/http/forms.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import { pageContext } from '../../web/page.ts';
import { startSession } from '../login/complete-login.ts';
import { backupKindsOf, blockMeans } from './block.ts';
import { needsSecondFactor } from './guard.ts';
import { notifyChange } from './notify.ts';
import { confirmsIdentity, reauthError, reauthState } from './reauth.ts';

/**
 * Removing and blocking a means on "Mein Konto": both need a login at the
 * account's current maximum level (TR-03160-1); removing also needs the
 * password, blocking does not (it is for emergencies).
 */
export function meansRemovalRoutes(app: AppContext, show: ShowAccount) {
  /** Removing and blocking need a session at the account's maximum, like adding (TR-03160-1). */
  const atMaximum = async (current: SsoSession) =>
    mayAddMeans(current, await secondFactors(app.db, current.accountId, app.methods.kinds('second')));

  /**
   * With no second factor left, a password session falls back to what the password reaches. An eID
   * session keeps its level: it never rested on the second factor (and the account may have no password).
   */
  async function lowerIfNoneLeft(request: FastifyRequest, reply: FastifyReply, current: SsoSession): Promise<void> {
    if (current.method === 'eid') return;
    if ((await secondFactors(app.db, current.accountId, app.methods.kinds('second'))).size === 0)
      await startSession(app, request, reply, current.accountId, 2, ['pwd']);
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/account/means/remove', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const { values } = checkFields(form, [
        { name: 'means_id', max: 36 },
        { name: 'means_password', max: 256 },
      ]);
      if (!(await atMaximum(current))) return show(request, reply, '', [needsConfirmation]);
      if (!(await confirmsIdentity(app, current, values.means_password))) {
        return show(request, reply, '', [
          reauthError(await reauthState(app, current), `means_password-${values.means_id ?? ''}`),
        ]);
      }
      const kind = await app.db.transaction(async (tx) => {
        const removed = (await removeMeans(tx, {
          accountId: current.accountId,
          meansId: values.means_id ?? '',
          kinds: app.methods.kinds('second'),
        })) as SecondFactorKind | undefined;
        // Recovery codes stand in for the app; without it they have nothing to stand in for.
        if (removed && backupKindsOf(app, [removed]).length > 0)
          await app.methods.recovery.removeAll(tx, current.accountId);
        if (removed) {
          await app.audit.account(tx, current.accountId, 'means.removed', { kind: removed });
          await notifyChange(app, tx, current.accountId, 'meansRemoved', removed);
        }
        return removed;
      });
      if (!kind) throw new AppError('bad_request');
      await lowerIfNoneLeft(request, reply, current);
      return show(request, reply, pageContext(app, request, reply).t('means.removed'));
    });

    fastify.post('/account/means/block', needsSecondFactor, async (request, reply) => {
      const form = readForm(request.body);
      const current = requiredSession(request);
      const { values } = checkFields(form, [{ name: 'means_id', max: 36 }]);
      // Blocking needs the account's maximum like removing, but no password: it is for emergencies.
      if (!(await atMaximum(current))) return show(request, reply, '', [needsConfirmation]);
      const blocked = await blockMeans(app, {
        accountId: current.accountId,
        meansIds: [values.means_id ?? ''],
        keepSessionId: current.id,
        byEmailLink: false,
      });
      if (blocked === 0) throw new AppError('bad_request');
      await lowerIfNoneLeft(request, reply, current);
      return show(request, reply, pageContext(app, request, reply).t('means.blocked'));
    });
  };
}
