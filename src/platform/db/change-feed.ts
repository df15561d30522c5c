import type { Database, Listening } from './database.ts';

/**
 * Tells the caches of this process which tables changed in the database,
 * whoever changed them: migration 0014 has a trigger on each cached table
 * send `NOTIFY servicekonto_changes, '<table>'`, which PostgreSQL delivers
 * only once the transaction commits (SQL NOTIFY: "if a NOTIFY is executed
 * inside a transaction, the notify events are not delivered until and unless
 * the transaction is committed").
 *
 * A cache may answer only while the feed is `live`. While the listening
 * session is down (restart, failover, pg_terminate_backend) a change would go
 * unheard, so the feed is not live, every cache is emptied, and reads go to
 * the database until a new LISTEN is in place and the caches were emptied
 * once more, so a change made while nobody listened is never missed. What
 * remains is the notification's trip: PostgreSQL signals the listening
 * sessions before it acknowledges the COMMIT, and the message reaches this
 * process within one network hop, sooner than a request sent after the
 * writer's acknowledgment (the CLI's exit, an admin's next click) can.
 * A connection that died without a word (no FIN, no RST) is noticed by the
 * heartbeat within two `heartbeatMs`.
 */
export const changeChannel = 'servicekonto_changes';

/** The tables whose changes are announced (migration 0014). */
export type ChangeTopic = 'services' | 'signing_keys' | 'saml_keys' | 'installation_secrets';

/** `topic` changed; `undefined`: changes may have been missed, forget everything. */
export type ChangeListener = (topic: string | undefined) => void;

export interface ChangeFeed {
  /** True while every change committed from now on reaches the listeners. */
  readonly live: boolean;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  channel?: string;
  /** Wait before the first new attempt after a loss; doubles up to `retryMaxMs`. */
  retryMs?: number;
  retryMaxMs?: number;
  /**
   * A connection that died silently (no FIN, no RST) delivers nothing and
   * reports nothing; a round trip this often, answered within the same time,
   * bounds how long the feed can believe such a connection is live.
   */
  heartbeatMs?: number;
  warn?: (error: Error, message: string) => void;
}

/** Opens the feed; resolves after the first attempt to listen, live or retrying. */
export async function openChangeFeed(
  db: Pick<Database, 'listen'>,
  options: ChangeFeedOptions = {},
): Promise<ChangeFeed> {
  const channel = options.channel ?? changeChannel;
  const retryMs = options.retryMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const listeners = new Set<ChangeListener>();
  let session: Listening | undefined;
  let live = false;
  let closed = false;
  // Each attempt's number; a session whose number is not current is dead.
  let attempt = 0;
  let delay = retryMs;
  let retry: NodeJS.Timeout | undefined;
  let pinging = false;

  const tell = (topic: string | undefined) => {
    for (const listener of listeners) listener(topic);
  };

  const down = (mine: number, error: Error) => {
    if (mine !== attempt || closed) return;
    attempt++;
    live = false;
    void session?.close();
    session = undefined;
    tell(undefined);
    options.warn?.(error, 'change feed lost; caches bypassed until it listens again');
    retry = setTimeout(() => void connect(), delay);
    retry.unref();
    delay = Math.min(delay * 2, retryMaxMs);
  };

  const connect = async () => {
    const mine = ++attempt;
    let opened: Listening;
    try {
      opened = await db.listen(channel, {
        notified: (topic) => {
          if (mine === attempt) tell(topic);
        },
        lost: (error) => down(mine, error),
      });
    } catch (error) {
      down(mine, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (mine !== attempt || closed) {
      await opened.close();
      return;
    }
    session = opened;
    delay = retryMs;
    // Whatever changed while nobody listened is unknown: start empty.
    tell(undefined);
    live = true;
  };

  const heartbeat = setInterval(() => {
    const current = session;
    if (!current || pinging) return;
    const mine = attempt;
    pinging = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the listening connection did not answer')), heartbeatMs);
    });
    Promise.race([current.ping(), late])
      .catch((error: unknown) => down(mine, error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        clearTimeout(timer);
        pinging = false;
      });
  }, heartbeatMs);
  heartbeat.unref();

  await connect();

  return {
    get live() {
      return live;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      live = false;
      attempt++;
      clearInterval(heartbeat);
      clearTimeout(retry);
      const last = session;
      session = undefined;
      await last?.close();
    },
  };
}
