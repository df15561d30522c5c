/**
 * Node's compile cache for the server's modules (NODE_COMPILE_CACHE, Node 22.1+): V8's code cache and, for
 * TypeScript, the result of stripping the types. With it a restart neither compiles every module again nor
 * loads the type stripper at all, whose WebAssembly memory and 3.8 MB of JavaScript source would stay resident
 * for the life of the process: about 15 MB of idle RSS (issue 16 §4, scripts/measure-memory.ts). It is an
 * environment variable rather than enableCompileCache() so that it covers the entry modules too
 * (runtime-settings.ts sets it before the process executes itself again).
 *
 * The cache holds code the process runs, so a directory another user could write to is not used: it must
 * belong to us and be closed to group and others, as ssh(1) requires of ~/.ssh. An operator's
 * NODE_COMPILE_CACHE (the tests set one) or NODE_DISABLE_COMPILE_CACHE=1 is left alone. A cache that cannot
 * be made only costs the saving.
 */
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `{ NODE_COMPILE_CACHE: <our directory> }`, or nothing when the operator decided or no safe directory exists. */
export function compileCacheVariable(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.NODE_COMPILE_CACHE !== undefined || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return {};
  if (!process.getuid) return {};
  const directory = join(tmpdir(), `servicekonto-compile-cache-${process.getuid()}`);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const { uid, mode } = statSync(directory);
    if (uid !== process.getuid() || (mode & 0o077) !== 0) return {};
  } catch {
    return {};
  }
  return { NODE_COMPILE_CACHE: directory };
}
