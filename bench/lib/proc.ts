import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of one process from /proc (Linux), so a figure "per
 * CPU-second" counts the server process alone: not the load generator, not
 * PostgreSQL. /proc/<pid>/stat sums every thread of the process (the libuv
 * pool that runs argon2, the GC threads).
 */

/** Clock ticks per second (`getconf CLK_TCK`; 100 on Linux almost always). */
export const clockTicks: number = (() => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU seconds the process has used so far (proc(5): fields 14 utime and 15 stime). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks;
}

function statusField(pid: number, name: string): number | undefined {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  return statusField(pid, 'VmRSS') ?? 0;
}

/**
 * The pid of a child of this process whose command line ends with `script`
 * and whose environment has PORT=`port`: the server that
 * test/e2e/helpers/server.ts's startServer spawned (it does not expose it).
 */
export function findChildPid(script: string, port: number): number {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.at(-1) !== script) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`PORT=${port}`)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  if (found.length !== 1)
    throw new Error(`expected one child process running ${script} on port ${port}, found ${found.length}`);
  return found[0] as number;
}

/** Samples RSS every `intervalMs` until stopped; returns the largest value seen. */
export function sampleRss(pid: number, intervalMs = 250): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // The process is gone; the peak so far stands.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, rssBytes(pid));
      } catch {
        // As above.
      }
      return peak;
    },
  };
}

/** Load average and CPU count of the machine, to say how shared it was. */
export function machineLoad(): { loadAverage1m: number; cpus: number } {
  const [one = '0'] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  const cpus = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('processor')).length;
  return { loadAverage1m: Number(one), cpus };
}

/** Busy and total jiffies of the whole machine (/proc/stat, first line): busy = all but idle and iowait. */
export function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}
