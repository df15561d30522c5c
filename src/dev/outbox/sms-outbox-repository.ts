import type { Queryable } from '../../platform/db/database.ts';
import type { SmsMessage } from '../../platform/sms/gateway.ts';

export interface OutboxSms {
  recipient: string;
  body: string;
  created_at: Date;
}

/** The development SMS sink table (migrations: dev_sms_outbox): what would have gone to phones. */
export function smsOutbox(db: Queryable) {
  return {
    async add(message: SmsMessage): Promise<void> {
      await db.query('INSERT INTO dev_sms_outbox (recipient, body) VALUES ($1, $2)', [message.to, message.text]);
    },
    /** The newest messages first; the page shows a screenful, not the history. */
    async recent(limit = 50): Promise<OutboxSms[]> {
      const result = await db.query<OutboxSms>(
        'SELECT recipient, body, created_at FROM dev_sms_outbox ORDER BY id DESC LIMIT $1',
        [limit],
      );
      return result.rows;
    },
  };
}
