import type { Queryable } from '../db/database.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { composeMail, type MailRequest } from './compose.ts';
import type { MailTransport } from './transport.ts';

/**
 * Mails go through the job table: queued in the same transaction as the
 * change that causes them (a registration never exists without its mail, and
 * a rolled-back one sends none), delivered after the commit and retried by
 * the job worker (jobs/queue.ts `enqueue`).
 */
export function createMailer(jobs: JobQueue, transport: MailTransport) {
  jobs.register('mail', async (payload) => {
    await transport.send(composeMail(payload as unknown as MailRequest));
  });
  return {
    async queue(tx: Queryable, request: MailRequest): Promise<void> {
      await jobs.enqueue(tx, 'mail', request as unknown as Record<string, unknown>);
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;
