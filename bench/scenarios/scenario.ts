import type { HttpClient } from '../lib/http.ts';
import type { Fixtures } from '../lib/types.ts';

/** What a scenario gets in the load process. */
export interface ScenarioContext {
  base: URL;
  request: HttpClient;
  fixtures: Fixtures;
}

/**
 * One kind of work, as a virtual user repeats it. `prepare` builds what the
 * iterations share (sessions, tokens) and is not measured; `iterate` is one
 * unit of the figure (one login, one grant, one SAML Response) and throws
 * on anything a real client would treat as a failure. It may return a
 * check that runs after the latency is taken (validating a SAML Response
 * costs the service, not us).
 */
export interface Scenario {
  prepare(slots: number, warmAccounts: boolean): Promise<void>;
  iterate(): Promise<(() => Promise<void>) | undefined>;
}

/** A fixed set of things (accounts, refresh tokens, sessions) of which each is used by one iteration at a time. */
export class Pool<T> {
  private readonly free: T[];
  private readonly waiting: ((item: T) => void)[] = [];

  constructor(items: Iterable<T> = []) {
    this.free = [...items];
  }

  get size(): number {
    return this.free.length;
  }

  take(): Promise<T> {
    const item = this.free.pop();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(item: T): void {
    const next = this.waiting.shift();
    if (next) next(item);
    else this.free.unshift(item);
  }
}

/** Runs `work` for every item with at most `parallel` at once. */
export async function eachLimited<T>(
  items: readonly T[],
  parallel: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

/** A citizen's address as the reverse proxy reports it: random in 10.0.0.0/8 (a town's worth of households). */
export function randomCitizenAddress(): string {
  const n = Math.floor(Math.random() * 0xffffff);
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
}
