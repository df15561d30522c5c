/**
 * Statements of concurrent requests sent to the database together (issue 16: each statement costs the server a
 * submission to the pg client, the parsing of its answer and a wake-up of a PostgreSQL backend, which were the
 * largest share of a grant's CPU). What the requests of one turn of the event loop submit, and what arrives while
 * the earlier statements are under way, goes in one statement: for writes, a group commit; for reads, one lookup
 * of many keys. Alone, an item waits for nothing but the end of its turn.
 *
 * Each request still learns its own outcome: a statement that fails for a batch is tried again for each item
 * alone, so one request's bad write never fails another's, and the error reaches the request that made it.
 */
export interface Coalescer<Item, Outcome> {
  submit(item: Item): Promise<Outcome>;
}

export interface CoalescerOptions<Item, Outcome> {
  /**
   * The rows a write touches (none for a read). Writes that share one do not go in the same statement: the parts
   * of one statement see the same snapshot, so the order of two changes to one row would be undefined there
   * (PostgreSQL: "ON CONFLICT DO UPDATE command cannot affect row a second time").
   */
  keysOf?(item: Item): Iterable<string>;
  /** Runs the items in one statement; one outcome per item, in their order. */
  runAll(items: readonly Item[]): Promise<Outcome[]>;
  /** Statements under way at most; more waiting writes join the next one (default 2). */
  maxInFlight?: number;
  /** Writes in one statement at most (default 64: the statement's parameters stay well below PostgreSQL's 65,535). */
  maxBatch?: number;
}

interface Waiting<Item, Outcome> {
  item: Item;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

export function coalescer<Item, Outcome>(options: CoalescerOptions<Item, Outcome>): Coalescer<Item, Outcome> {
  const { keysOf = () => [], runAll, maxInFlight = 2, maxBatch = 64 } = options;
  let waiting: Waiting<Item, Outcome>[] = [];
  let inFlight = 0;
  let scheduled = false;

  /** The next batch: waiting writes in their order, leaving those that touch a row of an earlier one for later. */
  function takeBatch(): Waiting<Item, Outcome>[] {
    const batch: Waiting<Item, Outcome>[] = [];
    const later: Waiting<Item, Outcome>[] = [];
    const touched = new Set<string>();
    for (const entry of waiting) {
      const keys = [...keysOf(entry.item)];
      if (batch.length >= maxBatch || keys.some((key) => touched.has(key))) {
        later.push(entry);
        // A later write to the same row must also wait behind this one: the order of a request's writes is kept.
        for (const key of keys) touched.add(key);
        continue;
      }
      for (const key of keys) touched.add(key);
      batch.push(entry);
    }
    waiting = later;
    return batch;
  }

  async function send(batch: Waiting<Item, Outcome>[]): Promise<void> {
    try {
      const outcomes = await runAll(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.resolve(outcomes[i] as Outcome));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // Each alone: the error goes to the write that caused it, the others are stored.
      await Promise.all(
        batch.map(async (entry) => {
          try {
            const [outcome] = await runAll([entry.item]);
            entry.resolve(outcome as Outcome);
          } catch (own) {
            entry.reject(own);
          }
        }),
      );
    }
  }

  function flush(): void {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = takeBatch();
      inFlight++;
      void send(batch).finally(() => {
        inFlight--;
        if (waiting.length > 0) schedule();
      });
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // After the turn's other callbacks: the requests whose bytes arrived with this one have submitted theirs.
    setImmediate(flush);
  }

  return {
    submit(item) {
      return new Promise<Outcome>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (inFlight < maxInFlight) schedule();
      });
    },
  };
}
