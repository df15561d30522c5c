import type { ChangeFeed, ChangeTopic } from './change-feed.ts';

/**
 * Rows that rarely change (services, keys), kept in process and dropped as
 * soon as the change feed announces a change of one of `topics`. Bounded:
 * the least recently read entry goes first, and absences ("no such
 * client_id") have a bound of their own, so a flood of made-up ids neither
 * grows memory nor pushes the real services out. Absences may be kept
 * because a new row is announced like any other change.
 */
export interface RowCache<V> {
  /** The remembered value of `key`, or `load()`'s, which is remembered unless a change came meanwhile. */
  read(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  readonly size: number;
}

export interface RowCacheOptions {
  topics: readonly ChangeTopic[];
  maxEntries: number;
  /** Bound of the remembered absences; `maxEntries` when not given. */
  maxAbsent?: number;
}

export function rowCache<V>(feed: ChangeFeed, options: RowCacheOptions): RowCache<V> {
  const found = new Map<string, V>();
  const absent = new Map<string, true>();
  // Bumped by every change: a load that began before it may hold the old row.
  let generation = 0;
  const topics = new Set<string>(options.topics);
  feed.subscribe((topic) => {
    if (topic !== undefined && !topics.has(topic)) return;
    found.clear();
    absent.clear();
    generation++;
  });

  return {
    async read(key, load) {
      if (!feed.live) return load();
      const hit = found.get(key);
      if (hit !== undefined) {
        remember(found, key, hit, options.maxEntries);
        return hit;
      }
      if (absent.has(key)) {
        remember(absent, key, true, options.maxAbsent ?? options.maxEntries);
        return undefined;
      }
      const before = generation;
      const value = await load();
      const snapshot = value === undefined ? undefined : deepFreeze(value);
      if (!feed.live || before !== generation) return snapshot;
      if (snapshot === undefined) remember(absent, key, true, options.maxAbsent ?? options.maxEntries);
      else remember(found, key, snapshot, options.maxEntries);
      return snapshot;
    },
    get size() {
      return found.size + absent.size;
    },
  };
}

/** Moves `key` to the newest end (a Map iterates in insertion order) and drops the oldest beyond `max`. */
function remember<V>(entries: Map<string, V>, key: string, value: V, max: number): void {
  entries.delete(key);
  entries.set(key, value);
  for (const oldest of entries.keys()) {
    if (entries.size <= max) break;
    entries.delete(oldest);
  }
}

/** Entries are shared by every request: no caller may change one for the others. */
function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
