import { performance } from 'node:perf_hooks';
import { cpuUsage } from 'node:process';
import type { Scenario } from '../scenarios/scenario.ts';
import { percentiles, Samples } from '../lib/stats.ts';
import type { Phase, PhaseResult } from '../lib/types.ts';

const errorSampleLimit = 5;

/**
 * Drives one phase of a scenario and reports what completed inside the
 * measured window (after the warm-up). `onWindow` is called at the window's
 * start and end, so the parent reads the server's CPU time at the same
 * moments.
 *
 * - closed loop: `concurrency` virtual users, each starting its next
 *   iteration when the last one ended; finds the highest throughput.
 * - open loop: arrivals at a fixed rate whatever the answers do, latency
 *   counted from when an arrival was due (not when it could start), so a
 *   stalled server cannot hide its queue (no coordinated omission).
 */
export async function drive(
  scenario: Scenario,
  phase: Phase,
  onWindow: (edge: 'start' | 'end') => void,
): Promise<PhaseResult> {
  const latencies = new Samples();
  let completed = 0;
  let completedInPhase = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let measuring = false;
  let stopped = false;
  const pending = new Set<Promise<void>>();

  const record = (ok: boolean, ms: number, error?: unknown) => {
    if (ok) completedInPhase++;
    if (!measuring) return;
    if (ok) {
      completed++;
      latencies.push(ms);
    } else {
      errors++;
      const message = error instanceof Error ? error.message : String(error);
      if (errorSamples.length < errorSampleLimit && !errorSamples.includes(message)) errorSamples.push(message);
    }
  };

  /** One iteration; latency from `due` (open loop) or its own start. */
  const once = async (due: number): Promise<void> => {
    let check: (() => Promise<void>) | undefined;
    try {
      check = await scenario.iterate();
    } catch (error) {
      record(false, performance.now() - due, error);
      return;
    }
    const ms = performance.now() - due;
    if (check) {
      try {
        await check();
      } catch (error) {
        record(false, ms, error);
        return;
      }
    }
    record(true, ms);
  };

  let notStarted = 0;
  let windowStart = 0;
  let windowEnd = 0;
  let cpuAtStart = cpuUsage();
  let loadCpuSeconds = 0;
  const startWindow = () => {
    measuring = true;
    windowStart = performance.now();
    cpuAtStart = cpuUsage();
    onWindow('start');
  };
  const endWindow = () => {
    windowEnd = performance.now();
    const used = cpuUsage(cpuAtStart);
    loadCpuSeconds = (used.user + used.system) / 1e6;
    measuring = false;
    stopped = true;
    onWindow('end');
  };

  const timers = [
    setTimeout(startWindow, phase.warmupSeconds * 1000),
    setTimeout(endWindow, (phase.warmupSeconds + phase.seconds) * 1000),
  ];

  if (phase.mode === 'closed') {
    const user = async () => {
      while (!stopped) await once(performance.now());
    };
    await Promise.all(Array.from({ length: phase.concurrency }, user));
  } else {
    const interval = 1000 / phase.rate;
    const backlog: number[] = [];
    let inFlight = 0;
    const launch = (due: number) => {
      inFlight++;
      const run = once(due).finally(() => {
        inFlight--;
        pending.delete(run);
        const next = backlog.shift();
        if (next !== undefined && !stopped) launch(next);
      });
      pending.add(run);
    };
    let next = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (stopped) {
          resolve();
          return;
        }
        while (next <= now) {
          if (inFlight < phase.maxInFlight) launch(next);
          else backlog.push(next);
          next += interval;
        }
        setTimeout(tick, Math.max(0, Math.min(next - performance.now(), 10)));
      };
      tick();
    });
    // Arrivals still queued when the window closed never got a latency: they are counted apart.
    notStarted = backlog.filter((due) => due >= windowStart && due < windowEnd).length;
    await Promise.all(pending);
  }
  for (const timer of timers) clearTimeout(timer);

  return {
    mode: phase.mode,
    load: phase.mode === 'closed' ? phase.concurrency : phase.rate,
    seconds: (windowEnd - windowStart) / 1000,
    completed,
    completedInPhase,
    errors,
    errorSamples,
    latencyMs: percentiles(latencies.values()),
    notStarted,
    loadCpuSeconds,
  };
}
