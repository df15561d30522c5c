import type { Queryable } from '../../platform/db/database.ts';
import type { SmsGateway } from '../../platform/sms/gateway.ts';
import { smsOutbox } from './sms-outbox-repository.ts';

/**
 * Development sink as the SMS gateway: messages land in a table shown at
 * /dev/sms. Without SMS_GATEWAY_URL production offers no SMS-TAN instead
 * (DESIGN.md §5), so it never gets here.
 */
export function devSmsSink(db: Queryable): SmsGateway {
  const outbox = smsOutbox(db);
  return { send: (message) => outbox.add(message) };
}
