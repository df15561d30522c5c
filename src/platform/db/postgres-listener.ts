import pg from 'pg';
import type { ListenEvents, Listening } from './database.ts';

export const listenerName = 'servicekonto change feed';

/**
 * A LISTEN session on a connection of its own: a pooled connection would be
 * handed to queries and back, and its LISTEN would end with it. TCP
 * keep-alive notices a peer that vanished without closing the connection.
 */
export async function listenOnPostgres(
  connectionString: string,
  channel: string,
  events: ListenEvents,
): Promise<Listening> {
  // Named, so an operator (and test/faults) can find it in pg_stat_activity.
  const client = new pg.Client({ connectionString, keepAlive: true, application_name: listenerName });
  let closing = false;
  let lost = false;
  const loseOnce = (error: Error) => {
    if (closing || lost) return;
    lost = true;
    events.lost(error);
    void client.end().catch(() => undefined);
  };
  client.on('error', loseOnce);
  client.on('end', () => loseOnce(new Error('the listening connection ended')));
  client.on('notification', (message) => {
    if (message.channel === channel) events.notified(message.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
  } catch (error) {
    closing = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async ping() {
      await client.query('SELECT 1');
    },
    async close() {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}
