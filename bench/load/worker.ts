/**
 * The load-generating process (forked by bench/run.ts): it runs apart from
 * the server, so the server's CPU time is its own. It prepares one scenario,
 * then runs the phases the parent sends, reporting the edges of each
 * measured window as they happen.
 */
import { performance } from 'node:perf_hooks';
import { createHttpClient } from '../lib/http.ts';
import type { FromLoad, ToLoad } from '../lib/types.ts';
import { scenarios } from '../scenarios/index.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { drive } from './driver.ts';

const send = (message: FromLoad) => process.send?.(message);
let scenario: Scenario | undefined;
let http: ReturnType<typeof createHttpClient> | undefined;

async function handle(message: ToLoad): Promise<void> {
  switch (message.type) {
    case 'prepare': {
      const started = performance.now();
      http = createHttpClient(Math.max(64, message.slots * 2));
      scenario = scenarios[message.scenario]({
        base: new URL(message.fixtures.baseUrl),
        request: http.request,
        fixtures: message.fixtures,
      });
      await scenario.prepare(message.slots, message.warmAccounts);
      send({ type: 'prepared', seconds: (performance.now() - started) / 1000 });
      return;
    }
    case 'phase': {
      if (!scenario) throw new Error('phase before prepare');
      const result = await drive(scenario, message.phase, (edge) => send({ type: 'window', edge }));
      send({ type: 'result', result });
      return;
    }
    case 'exit':
      http?.close();
      process.disconnect?.();
      return;
  }
}

process.on('message', (message: ToLoad) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
