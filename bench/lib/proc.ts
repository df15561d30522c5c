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

export interface ProcessTimes {
  ppid: number;
  /** User plus system CPU seconds of the process itself, all threads (fields 14 utime and 15 stime). */
  own: number;
  /** CPU seconds of its children that it has waited for (fields 16 cutime and 17 cstime; theirs include their own). */
  waitedChildren: number;
  /** When it started, in seconds since boot (field 22 starttime), comparable with /proc/uptime. */
  startedAt: number;
}

/** proc(5) /proc/<pid>/stat; throws when the process is gone. */
export function processTimes(pid: number): ProcessTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const field = (n: number) => Number(fields[n - 3]);
  return {
    ppid: field(4),
    own: (field(14) + field(15)) / clockTicks,
    waitedChildren: (field(16) + field(17)) / clockTicks,
    startedAt: field(22) / clockTicks,
  };
}

/** User plus system CPU seconds the process has used so far (proc(5): fields 14 utime and 15 stime). */
export function cpuSeconds(pid: number): number {
  return processTimes(pid).own;
}

/** Seconds since boot (/proc/uptime), the clock of ProcessTimes.startedAt. */
export function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

/** Every process whose parent is `pid`, and theirs, and so on (one pass over /proc). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { ppid } = processTimes(Number(entry));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/**
 * CPU seconds of a whole process tree so far: every live process's own time
 * plus the time of the children each has waited for. A child that ends moves
 * its time into its parent's waited-children time when the parent reaps it
 * (Apache's parent reaps its workers, the postmaster its backends), so the
 * sum only grows and the difference over a window counts the processes that
 * ended in it too.
 */
export function treeCpuSeconds(root: number): number {
  let total = 0;
  for (const pid of [root, ...descendants(root)]) {
    try {
      const times = processTimes(pid);
      total += times.own + times.waitedChildren;
    } catch {
      // Ended between the listing and the reading; its parent has (or will have) its time.
    }
  }
  return total;
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

/**
 * The processes a figure's "server" is: one process (our Node server, the bare oidc-provider) or a process tree
 * (Apache with PHP in its workers). CPU seconds so far, and memory now.
 */
export interface ServerMeter {
  cpuSeconds(): number;
  memoryBytes(): number;
  /** A Node process's CPU seconds so far by kind of thread (threadCpuSeconds); absent for other servers. */
  threadCpuSeconds?(): ThreadCpu;
}

export function processMeter(pid: number): ServerMeter {
  return {
    cpuSeconds: () => cpuSeconds(pid),
    memoryBytes: () => rssBytes(pid),
    threadCpuSeconds: () => threadCpuSeconds(pid),
  };
}

/** CPU seconds of a Node process's threads, by what they do. */
export interface ThreadCpu {
  /** The event loop: JavaScript, parsing, rendering, the pg client, synchronous crypto (SAML's RSA signatures). */
  main: number;
  /** The libuv pool: argon2 (@node-rs/argon2), asynchronous crypto (jose's signatures), zlib's asynchronous calls. */
  pool: number;
  /** V8's workers: concurrent and parallel garbage collection, background compilation. */
  v8: number;
  /** Any other thread. */
  other: number;
}

/**
 * proc(5) /proc/<pid>/task/<tid>/stat, grouped by thread name (comm): Node names its threads `MainThread`
 * (the thread whose tid is the pid), `libuv-worker` and `V8Worker`. A thread that ended takes its time with
 * it; the pool and V8's workers live as long as the process.
 */
export function threadCpuSeconds(pid: number): ThreadCpu {
  const cpu: ThreadCpu = { main: 0, pool: 0, v8: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[14 - 3]) + Number(fields[15 - 3])) / clockTicks;
      const kind =
        tid === String(pid) ? 'main' : name === 'libuv-worker' ? 'pool' : name === 'V8Worker' ? 'v8' : 'other';
      cpu[kind] += seconds;
    } catch {
      // The thread ended while we looked.
    }
  }
  return cpu;
}

/**
 * A process tree: CPU as treeCpuSeconds; memory as the sum of the proportional set sizes (Pss in
 * /proc/<pid>/smaps_rollup: a page shared by n workers counts 1/n in each), or of the RSS where Pss is not readable.
 */
export function treeMeter(root: number): ServerMeter {
  const memory = (pid: number) => {
    try {
      const match = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (match) return Number(match[1]) * 1024;
    } catch {
      // Not ours to read (or gone): the RSS below.
    }
    try {
      return rssBytes(pid);
    } catch {
      return 0;
    }
  };
  return {
    cpuSeconds: () => treeCpuSeconds(root),
    memoryBytes: () => [root, ...descendants(root)].reduce((sum, pid) => sum + memory(pid), 0),
  };
}

/** Samples the memory every `intervalMs` until stopped; returns the largest value seen. */
export function sampleMemory(read: () => number, intervalMs = 250): { stop(): number } {
  let peak = read();
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, read());
    } catch {
      // The process is gone; the peak so far stands.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        peak = Math.max(peak, read());
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
