/**
 * The V8 flags, C library settings and compile cache (compile-cache.ts) the server runs with (issue 16 §4: idle
 * RSS ≤ 120 MB, peak under the login load ≤ 250 MB). All take effect only when the process starts, so the entry
 * (src/main.ts) asks for them first and, when they are missing, the process executes itself again with them:
 * the same pid, arguments and standard streams (execve(2)), before any of the server's code is loaded.
 * `npm start`, `node src/main.ts` and the tests' and bench's servers all run the same way.
 *
 * An operator's own choice wins: a flag already given (command line or NODE_OPTIONS) or a variable already set
 * is left as it is.
 */
import { readFileSync } from 'node:fs';
import { compileCacheVariable } from './compile-cache.ts';

/**
 * V8's flags, by name; a value of `true` is a flag without value.
 *
 * --max-semi-space-size: V8 sizes the young generation from the machine's memory, up to 2 × 64 MiB on a machine
 * with 24 GB, and keeps what it grew to: start-up alone grew it to 2 × 16 MiB (an allocating loop: 2 × 64).
 * 4 MiB caps the young generation at 12 MiB (two semi-spaces and the new large-object space); smaller ones
 * cost throughput (below), as more scavenges run (Node's documentation of --max-semi-space-size).
 *
 * --optimize-for-size: V8's heuristics that favour memory over speed (the heap grows by smaller steps and is
 * collected and compacted more eagerly). Measured on the shared 2-core machine: idle after a restart 111–116 MB
 * with it, 119–123 MB without (test/e2e/idle-memory.test.ts, which allows 120; 117–118 MB without it but with
 * 1 MiB semi-spaces); peak under the SAML bench 137–139 MB with it, 211 MB without. Its price is CPU: back to
 * back, the SAML bench made 54.5 SSOs per CPU-second with it, 72.2 without, 58.9 without it but with 1 MiB
 * semi-spaces (logins, bound by argon2, showed no clear difference). Dropping it trades the idle bound's margin
 * for that throughput.
 */
const v8Flags: Record<string, string | true> = { '--max-semi-space-size': '4', '--optimize-for-size': true };

/**
 * glibc malloc (mallopt(3)). Start-up allocates and frees much outside the JavaScript heap (compiling, parsing,
 * the TypeScript stripper); by default the freed memory stays resident, spread over up to eight arenas per core
 * (one per thread that allocated: V8's workers, the libuv pool that hashes passwords). Two arenas, and large
 * blocks in mappings of their own (returned when freed, instead of the threshold rising with every large block
 * freed), lowered the idle RSS by about 10 MB (scripts/measure-memory.ts; 139/133 MB to 122–131/118–123 MB at a
 * first start/a restart; the machine was shared, the figures vary by ±5 MB).
 */
const mallocVariables: Record<string, string> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: String(128 * 1024) };

export interface RuntimeState {
  execArgv: readonly string[];
  env: NodeJS.ProcessEnv;
}

/** The flags and variables missing from `state`; both empty when everything is in effect. */
export function missingSettings(state: RuntimeState): { flags: string[]; variables: Record<string, string> } {
  const given = [...state.execArgv, ...(state.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const flags = Object.entries(v8Flags)
    .filter(([flag]) => !given.some((arg) => arg === flag || arg.startsWith(`${flag}=`) || arg === negated(flag)))
    .map(([flag, value]) => (value === true ? flag : `${flag}=${value}`));
  const variables = Object.fromEntries(Object.entries(mallocVariables).filter(([name]) => !(name in state.env)));
  return { flags, variables };
}

/** `--no-optimize-for-size` for `--optimize-for-size`: an operator's "no" is a choice too. */
function negated(flag: string): string {
  return `--no-${flag.slice(2)}`;
}

/**
 * Returns when the settings are in effect; otherwise replaces the process with one that has them (it does not
 * return then). Where execve(2) is not available (Windows), the server runs with Node's defaults.
 */
export function applyRuntimeSettings(): void {
  if (typeof process.execve !== 'function' || process.platform === 'win32') return;
  const missing = missingSettings(process);
  const { flags } = missing;
  const variables = { ...missing.variables, ...compileCacheVariable(process.env) };
  if (flags.length === 0 && Object.keys(variables).length === 0) return;
  process.execve(process.execPath, [process.execPath, ...flags, ...commandLineAfterNode()], {
    ...process.env,
    ...variables,
  });
}

/**
 * The arguments after `node` as given (Linux: /proc/self/cmdline), so that the process looks the same to whoever
 * started it (`ps`, the bench's search for `src/main.ts`); elsewhere rebuilt, with the script's absolute path.
 */
function commandLineAfterNode(): string[] {
  try {
    return readFileSync('/proc/self/cmdline', 'utf8').split('\0').slice(1, -1);
  } catch {
    return [...process.execArgv, ...process.argv.slice(1)];
  }
}
