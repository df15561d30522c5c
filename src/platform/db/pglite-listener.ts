import type { PGlite } from '@electric-sql/pglite';
import type { ListenEvents, Listening } from './database.ts';

/**
 * The embedded database has one session in this process, never cut: PGlite
 * hands a committed NOTIFY to the listener before the committing query
 * resolves, so a change is seen by the next read.
 */
export async function listenOnPglite(db: PGlite, channel: string, events: ListenEvents): Promise<Listening> {
  const unlisten = await db.listen(channel, (payload) => events.notified(payload));
  return {
    async ping() {
      // Nothing to reach: the session lives as long as the process.
    },
    close: () => unlisten(),
  };
}
