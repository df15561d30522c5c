import type { AppContext } from '../context.ts';
import type { Queryable } from '../platform/db/database.ts';

/** What a form mails once the job runs: looks the identifier up and queues the mail, or does nothing. */
export type MailRequestWork = (tx: Queryable, identifier: string) => Promise<void>;

/**
 * Forms that mail whoever owns an identifier (forgotten password, forgotten
 * username, a new confirmation link, a lost-means link) answer before the
 * work is done: the request only queues one job with the identifier, the
 * same statements for a known and an unknown one, and the job looks the
 * account up, issues the link and queues the mail. So neither the answer nor
 * its timing tells whether an account exists (OWASP Authentication Cheat
 * Sheet, "Authentication Responses"; OWASP Forgot Password Cheat Sheet:
 * "consistent response time"). The identifier leaves the job table when the
 * job is done (platform/jobs/queue.ts).
 */
export function mailRequest(
  app: AppContext,
  kind: string,
  work: MailRequestWork,
): (identifier: string) => Promise<void> {
  const jobKind = `mail_request:${kind}`;
  app.jobs.register(jobKind, async (payload) => {
    const identifier = typeof payload.identifier === 'string' ? payload.identifier : '';
    if (identifier !== '') await app.db.transaction((tx) => work(tx, identifier));
  });
  return async (identifier: string): Promise<void> => {
    await app.jobs.enqueue(app.db, jobKind, { identifier });
  };
}
