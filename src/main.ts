/**
 * Process entry. The V8 flags and C library settings come first (platform/runtime-settings.ts; the process may
 * execute itself again here to get them), then the server's code is loaded and started. Nothing else may be
 * imported statically here (these two import only Node's own modules): ES modules are all loaded before the first
 * line runs, and they are the bulk of what the settings are for.
 */
import { deferUndici } from './platform/defer-undici.ts';
import { applyRuntimeSettings } from './platform/runtime-settings.ts';

applyRuntimeSettings();
// Before any ES module imports node:http (platform/defer-undici.ts).
deferUndici();
try {
  await (await import('./serve.ts')).serve();
} catch (error) {
  console.error('Servicekonto failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
}
