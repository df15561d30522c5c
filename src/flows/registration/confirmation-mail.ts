import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { emailLinks, linkLifetimeSeconds } from '../email-links.ts';

const jobKind = 'registration_mail';

/**
 * The mail after a registration, by password or by card. Every registration
 * creates its account with the address unconfirmed (migration 0008) and
 * queues this job in the same transaction, so the form does the same work
 * and gives the same answer whoever owns the address (OWASP Authentication
 * Cheat Sheet, "Authentication Responses"). The job decides:
 * - another account has confirmed the address: its owner gets the "already
 *   registered" mail with a way back in, never a link that would confirm the
 *   stranger's registration (account pre-hijacking); that registration can
 *   never be confirmed and expires (platform/jobs/housekeeping.ts);
 * - otherwise the registrant gets the confirmation link; of several
 *   registrations naming one address, the first confirmed gets it.
 * The link is issued in the registration's transaction either way; in the
 * first case nobody ever learns its token.
 */
export function confirmationMail(app: AppContext) {
  const links = emailLinks(app.clock);
  const hours = linkLifetimeSeconds.verify_email / 3600;

  app.jobs.register(jobKind, async (payload) => {
    const accountId = typeof payload.accountId === 'string' ? payload.accountId : '';
    const token = typeof payload.token === 'string' ? payload.token : '';
    const accounts = app.accounts;
    const account = await accounts.byId(accountId);
    if (!account || account.emailVerifiedAt) return;
    const owner = await accounts.byEmail(account.email);
    // Over the limit nothing is sent, silently: one stranger cannot flood an owner's mailbox.
    if (owner && !(await app.rateLimiter.allow(`mail:to:${owner.email.toLowerCase()}`, 3, 3600))) return;
    if (!owner) {
      await app.mailer.queue(app.db, {
        to: account.email,
        lang: account.language,
        template: 'verify',
        params: { username: account.username, hours },
        link: `${app.config.publicUrl}/verify-email?token=${token}`,
      });
      return;
    }
    await app.db.transaction(async (tx) => {
      const reset = await links.issue(tx, owner.id, 'reset_password');
      await app.mailer.queue(tx, {
        to: owner.email,
        lang: owner.language,
        template: 'already',
        params: { username: owner.username, minutes: linkLifetimeSeconds.reset_password / 60 },
        link: `${app.config.publicUrl}/reset-password?token=${reset}`,
      });
    });
  });

  /**
   * In the registration's transaction: the confirmation link (so a stored
   * registration always has one, with the service it leads back to) and the job that mails it or tells the
   * owner instead; it runs after the commit (jobs/queue.ts `enqueue`). The token
   * leaves the job table when the job is done (platform/jobs/queue.ts).
   */
  return async (
    tx: Queryable,
    accountId: string,
    returnTo: string | undefined,
    serviceId?: string | undefined,
  ): Promise<void> => {
    const token = await links.issue(tx, accountId, 'verify_email', {
      ...(returnTo ? { returnTo } : {}),
      ...(serviceId ? { serviceId } : {}),
    });
    await app.jobs.enqueue(tx, jobKind, { accountId, token });
  };
}

export type ConfirmationMail = ReturnType<typeof confirmationMail>;
