import type { Queryable } from '../../platform/db/database.ts';
import type { MailTransport } from '../../platform/mail/transport.ts';
import { mailOutbox } from './mail-outbox-repository.ts';

/**
 * Development outbox as the mail transport: mails are stored and shown at
 * /dev/mail instead of sent. Production requires SMTP_URL (config/load.ts),
 * so it never gets here.
 */
export function outboxTransport(db: Queryable): MailTransport {
  const outbox = mailOutbox(db);
  return {
    send: (mail) => outbox.add(mail),
    close: () => undefined,
  };
}
