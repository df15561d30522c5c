import type { Queryable } from '../../platform/db/database.ts';
import type { ComposedMail } from '../../platform/mail/compose.ts';

export interface OutboxMail {
  id: number;
  recipient: string;
  subject: string;
  text_body: string;
  created_at: Date;
}

/** The development outbox table (migrations: dev_outbox): mails that went nowhere else. */
export function mailOutbox(db: Queryable) {
  return {
    async add(mail: ComposedMail): Promise<void> {
      await db.query('INSERT INTO dev_outbox (recipient, subject, text_body, html_body) VALUES ($1, $2, $3, $4)', [
        mail.to,
        mail.subject,
        mail.text,
        mail.html,
      ]);
    },
    /** The newest mails first; the page shows a screenful, not the history. */
    async recent(limit = 50): Promise<OutboxMail[]> {
      const result = await db.query<OutboxMail>(
        'SELECT id, recipient, subject, text_body, created_at FROM dev_outbox ORDER BY id DESC LIMIT $1',
        [limit],
      );
      return result.rows;
    },
  };
}
