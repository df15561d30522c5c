import type { AppContext } from '../context.ts';
import type { MailRequest } from '../platform/mail/compose.ts';
import { deleteAccount } from './delete-account.ts';
import { inactivityRepository, type WarnedAccount, type WarningStep } from './inactivity-repository.ts';

/** Accounts per transaction: a backlog (the first run after an upgrade) goes in short steps, each committed. */
const batchSize = 100;

/**
 * Unused accounts are deleted after INACTIVITY_DELETE_MONTHS, warned by mail INACTIVITY_FIRST_WARNING_MONTHS and
 * INACTIVITY_SECOND_WARNING_MONTHS before (DESIGN.md §7, PROFILES.md §5: 24 months, 6 and 3 before). Each step waits
 * for the time the mail before it promised, so nobody is deleted unwarned, whatever was due when this first ran. A
 * use sets the count back (migration 0012). Runs with every instance's housekeeping: each account is taken once.
 */
export async function handleInactiveAccounts(app: AppContext): Promise<void> {
  const { deleteAfterMonths, firstWarningMonths, secondWarningMonths } = app.config.inactivity;
  const now = app.clock.now();
  await warnAll(app, now, {
    warning: 1,
    unusedMonths: deleteAfterMonths - firstWarningMonths,
    sinceLastWarningMonths: 0,
    leadMonths: firstWarningMonths,
    deleteAfterMonths,
  });
  await warnAll(app, now, {
    warning: 2,
    unusedMonths: deleteAfterMonths - secondWarningMonths,
    sinceLastWarningMonths: firstWarningMonths - secondWarningMonths,
    leadMonths: secondWarningMonths,
    deleteAfterMonths,
  });
  await deleteAll(app, now, deleteAfterMonths, secondWarningMonths);
}

async function warnAll(app: AppContext, now: Date, step: WarningStep): Promise<void> {
  for (;;) {
    // The mark and the queued mail commit together; the mail leaves after the commit (platform/mail/mailer.ts).
    const count = await app.db.transaction(async (tx) => {
      const warned = await inactivityRepository(tx).markWarned(now, step, batchSize);
      for (const account of warned) await app.mailer.queue(tx, warningMail(app, account, step));
      return warned.length;
    });
    if (count < batchSize) return;
  }
}

async function deleteAll(app: AppContext, now: Date, deleteAfterMonths: number, leadMonths: number): Promise<void> {
  for (;;) {
    const count = await app.db.transaction(async (tx) => {
      const due = await inactivityRepository(tx).lockDue(now, deleteAfterMonths, leadMonths, batchSize);
      for (const accountId of due) await deleteAccount(app, tx, accountId, 'inactivity');
      return due.length;
    });
    if (count < batchSize) return;
  }
}

function warningMail(app: AppContext, account: WarnedAccount, step: WarningStep): MailRequest {
  // The citizen's calendar day, in Germany's time zone whatever the server's.
  const day = (d: Date) =>
    new Intl.DateTimeFormat(account.language === 'de' ? 'de-DE' : 'en-GB', {
      dateStyle: 'long',
      timeZone: 'Europe/Berlin',
    }).format(d);
  return {
    to: account.email,
    lang: account.language,
    template: 'inactivityWarning',
    params: {
      username: account.username,
      lastUsed: day(account.lastActiveAt),
      date: day(account.deleteFrom),
      months: step.deleteAfterMonths,
    },
    link: `${app.config.publicUrl}/login`,
  };
}
