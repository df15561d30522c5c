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
import { flushCompileCache } from 'node:module';
import { compileCacheVariable } from './compile-cache.ts';

/**
 * V8's flags, by name; a value of `true` is a flag without value.
 *
 * --max-semi-space-size: V8 sizes the young generation from the machine's memory, up to 2 × 64 MiB on a machine
 * with 24 GB, and keeps what it grew to: start-up alone grew it to 2 × 16 MiB (an allocating loop: 2 × 64).
 * 16 MiB caps it there. It was 4 (a young generation of 12 MiB): idle RSS after a restart 123 MB with 4, 147 MB
 * uncapped, when the server did not yet trim its memory after start (memory-trim.ts). Issue 16's bench with the
 * trim, on one quiet machine: with 16 the idle RSS is 104–106 MB, the peak under login load 189 MB (the limit
 * 250), and client-credentials grants per CPU-second rose by 15 % (7,933 against 6,900): each scavenge is a
 * fixed cost, and smaller semi-spaces run more of them and promote more short-lived objects to the old generation
 * (Node's documentation of --max-semi-space-size).
 *
 * Not --optimize-for-size (V8's heuristics that favour memory over speed): it kept the idle RSS after a restart
 * at 111–116 MB instead of 119–123 MB and the SAML peak at 137–139 MB instead of 211 MB, but on a quiet machine in
 * one bench session it cost 33 % of the refresh grants per CPU-second (414 with it, 617 without) and 17 % of the
 * SAML single sign-ons (99 and 120): the CPU is what an installation pays for every login.
 */
const v8Flags: Record<string, string | true> = { '--max-semi-space-size': '16' };

/**
 * glibc malloc (mallopt(3)). Start-up allocates and frees much outside the JavaScript heap (compiling, parsing,
 * the TypeScript stripper); by default the freed memory stays resident, spread over up to eight arenas per core
 * (one per thread that allocated: V8's workers, the libuv pool that hashes passwords). Two arenas lowered the idle
 * RSS by about 10 MB (scripts/measure-memory.ts).
 *
 * MALLOC_MMAP_THRESHOLD_: set, it fixes the size from which a block gets a mapping of its own (returned when
 * freed), and leaves the trim threshold at its 128 KiB, so free memory at the top of a heap goes back to the system.
 * It was 128 KiB: then every larger block a request allocated and freed cost an mmap, page faults and a munmap.
 * Issue 16's bench, one session, same machine: client-credentials grants per CPU-second 5,183–7,933 with 128 KiB,
 * 8,237 with 32 MiB (0.63 × the bare oidc-provider instead of 0.40–0.54), idle RSS 105–106 MB with both.
 */
const mallocVariables: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
};

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

/** `--no-foo` for `--foo`: an operator's "no" is a choice too. */
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

/** Set in the process that started again after its one-off work, so that it does so once at most. */
const startedAgain = 'SERVICEKONTO_STARTED_AGAIN';

/**
 * Whether the process may execute itself again once more (startAgain): where execve(2) exists and it has not
 * done so already.
 */
export function mayStartAgain(): boolean {
  return (
    typeof process.execve === 'function' && process.platform !== 'win32' && process.env[startedAgain] === undefined
  );
}

/**
 * Replaces the process with a fresh one of the same command line (execve(2), as applyRuntimeSettings does), after
 * writing the compile cache (compile-cache.ts) so that the new process loads every module from it. Check
 * mayStartAgain first, and close what the process holds (database connections, the embedded database's lock):
 * only the standard streams survive.
 */
export function startAgain(): never {
  if (!process.execve) throw new Error('the process cannot execute itself again here');
  flushCompileCache();
  return process.execve(process.execPath, [process.execPath, ...commandLineAfterNode()], {
    ...process.env,
    [startedAgain]: '1',
  });
}

/**
 * Whether this process stripped TypeScript types: it started on code the compile cache did not hold yet (the first
 * start after an installation or an update). The type stripper (about 760 KB of JavaScript and its WebAssembly
 * memory) then stays resident for the life of the process.
 */
export function typeStripperLoaded(): boolean {
  return loadedBuiltins().includes('NativeModule internal/deps/amaro/dist/index');
}

/** process.moduleLoadList: Node's own modules loaded so far (not in @types/node; empty where absent). */
function loadedBuiltins(): readonly string[] {
  return (process as { moduleLoadList?: readonly string[] }).moduleLoadList ?? [];
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
