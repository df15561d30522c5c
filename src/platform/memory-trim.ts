/**
 * Gives memory back to the system when the server has nothing to do (issue 16 §4: idle RSS ≤ 120 MB).
 *
 * V8 keeps its young generation at the size start-up or load grew it to, and pages of the old generation that
 * garbage left behind; its memory reducer, which runs when the isolate is idle, does not shrink them here. A full
 * collection that reduces memory (V8's gc extension with `flavor: 'last-resort'`: compaction, the young generation
 * shrunk to its start size, unused pages released) does. Measured with scripts/measure-memory.ts, the server
 * idled at 119–120 MB after its start without it and at 103–105 MB with one such collection once the start was
 * done; a plain major collection gave 116–117 MB. One takes about 80 ms of CPU on the idle heap (~40 MB).
 *
 * So the server runs one when its start is complete (`trimNow`), and one after each quiet period: when requests
 * came and then none for `quietMs` (a burst of load leaves the young generation and the heap grown). Under steady
 * load it never runs; with a request every few seconds it runs at most once per `quietMs` of silence.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export interface MemoryTrim {
  /** A request arrived: the next quiet period ends in a trim. */
  activity(): void;
  /** Trims at once (after the start's one-off work). */
  trimNow(): void;
  /** Trims if requests came and then none for `quietMs`; what the timer calls. */
  checkQuiet(): void;
}

export interface MemoryTrimOptions {
  quietMs?: number;
  now?: () => number;
  /** The collection to run; by default V8's (memoryReducingCollect). */
  collect?: Collect | undefined;
  log?: { debug(obj: object, msg: string): void };
}

/**
 * V8's `gc` function, without exposing it as a global to every module: the flag is set for the moment a fresh
 * context is made, which gets the function (the V8 gc extension is installed per context), and unset again.
 * Undefined where the runtime refuses the flag.
 */
export function memoryReducingCollect(): Collect | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? (collect as Collect) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

export function createMemoryTrim(options: MemoryTrimOptions = {}): MemoryTrim {
  const quietMs = options.quietMs ?? 30_000;
  const now = options.now ?? Date.now;
  const collect = 'collect' in options ? options.collect : memoryReducingCollect();
  let lastActivity = now();
  let dirty = false;

  const trim = (reason: string) => {
    dirty = false;
    if (!collect) return;
    const before = process.memoryUsage.rss();
    const cpu = process.cpuUsage();
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const used = process.cpuUsage(cpu);
    options.log?.debug(
      {
        reason,
        rssBeforeMb: Math.round(before / 1048576),
        rssAfterMb: Math.round(process.memoryUsage.rss() / 1048576),
        cpuMs: Math.round((used.user + used.system) / 1000),
      },
      'memory trimmed',
    );
  };

  return {
    activity() {
      lastActivity = now();
      dirty = true;
    },
    trimNow() {
      trim('start complete');
    },
    checkQuiet() {
      if (dirty && now() - lastActivity >= quietMs) trim('quiet');
    },
  };
}

/**
 * Watches `server` for requests and trims after each quiet period; `trimNow` once the start is complete. The
 * timer does not keep the process alive.
 */
export function startMemoryTrim(
  server: { on(event: 'request', listener: () => void): unknown },
  options: MemoryTrimOptions = {},
): MemoryTrim & { stop(): void } {
  const trim = createMemoryTrim(options);
  server.on('request', () => trim.activity());
  const quietMs = options.quietMs ?? 30_000;
  const timer = setInterval(() => trim.checkQuiet(), Math.max(1000, Math.floor(quietMs / 3)));
  timer.unref();
  return { ...trim, stop: () => clearInterval(timer) };
}
