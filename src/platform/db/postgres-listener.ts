import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ListenEvents, Listening } from './database.ts';

export const listenerName = 'servicekonto change feed';

/** Heartbeats share the channel with the tables' names; no table is called so. */
const pingPrefix = 'ping:';

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
  // The heartbeat's own notifications, by token; every instance's heartbeats reach every listener.
  const pings = new Map<string, () => void>();
  client.on('notification', (message) => {
    if (message.channel !== channel) return;
    const payload = message.payload ?? '';
    if (payload.startsWith(pingPrefix)) pings.get(payload.slice(pingPrefix.length))?.();
    else events.notified(payload);
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
    /**
     * A NOTIFY heard back on this session proves the whole way a change
     * takes, not only that the socket is open: behind a pooler in
     * transaction mode the LISTEN and the NOTIFY would land on different
     * server sessions, and this never resolves.
     */
    async ping() {
      const token = randomUUID();
      const heard = new Promise<void>((resolve) => pings.set(token, resolve));
      try {
        await client.query('SELECT pg_notify($1, $2)', [channel, `${pingPrefix}${token}`]);
        await heard;
      } finally {
        pings.delete(token);
      }
    },
    async close() {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}
