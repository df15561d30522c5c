import { setTimeout as sleep } from 'node:timers/promises';
import {
  childEnv,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  startServer,
  type RunningServer,
} from '../../test/e2e/helpers/server.ts';
import { findChildPid, rssBytes } from '../lib/proc.ts';

export interface HashParams {
  ARGON2_TIME_COST: string;
  ARGON2_MEMORY_KIB: string;
  ARGON2_PARALLELISM: string;
}

/** Keycloak's default argon2 parameters (Keycloak 24+: argon2id, 5 iterations, 7 MiB, 1 lane). */
export const keycloakHash: HashParams = { ARGON2_TIME_COST: '5', ARGON2_MEMORY_KIB: '7168', ARGON2_PARALLELISM: '1' };
/** Our defaults (src/config/load.ts; OWASP's minimum: 2 iterations, 19 MiB, 1 lane). */
export const defaultHash: HashParams = { ARGON2_TIME_COST: '2', ARGON2_MEMORY_KIB: '19456', ARGON2_PARALLELISM: '1' };

/** As the report names them. */
export const hashOf = (h: HashParams) => ({
  timeCost: Number(h.ARGON2_TIME_COST),
  memoryKiB: Number(h.ARGON2_MEMORY_KIB),
  parallelism: Number(h.ARGON2_PARALLELISM),
});
/** As @node-rs/argon2 takes them (the bare library's login hashes with these). */
export const argon2Options = (h: HashParams) => ({
  timeCost: Number(h.ARGON2_TIME_COST),
  memoryCost: Number(h.ARGON2_MEMORY_KIB),
  parallelism: Number(h.ARGON2_PARALLELISM),
});

export interface RunningInstallation {
  server: RunningServer;
  pid: number;
  /** RSS after start, before any request but the readiness probe. */
  idleRssBytes: number;
  hash: HashParams;
}

/**
 * The Servicekonto under load: `node src/main.ts` on a scratch PostgreSQL
 * database, started and restarted on one port (the issuer and the SAML
 * entityID stay the same across restarts). Behind a "proxy" at 127.0.0.1
 * (TRUST_PROXY), so the citizens' addresses the load generator names in
 * X-Forwarded-For count for the per-address limits, as in production.
 */
export async function createInstallation(logLevel: string, profileDir?: string) {
  const database = await createScratchDatabase();
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  // EID_SIMULATOR=false: no scenario uses the eID, and a production server never loads the development simulator.
  const env = (hash: HashParams) =>
    childEnv({
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: logLevel,
      START_EXAMPLE: 'false',
      TRUST_PROXY: '127.0.0.1',
      EID_SIMULATOR: 'false',
      ...hash,
    });
  // --cpu-prof: V8 writes one .cpuprofile per server process when it exits (after each restart's stop).
  const serverEnv = (hash: HashParams) => {
    const base = env(hash);
    return profileDir
      ? { ...base, NODE_OPTIONS: `${base.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim() }
      : base;
  };
  let running: RunningInstallation | undefined;

  return {
    database,
    port,
    baseUrl,
    /** Environment of the CLI (the same database; hash parameters of the current server). */
    cliEnv: () => env(running?.hash ?? defaultHash),
    running: () => running,
    /** Stops a running server, starts one with `hash`, waits `settleSeconds`, reads the idle RSS. */
    async start(hash: HashParams, settleSeconds: number): Promise<RunningInstallation> {
      await running?.server.stop();
      running = undefined;
      const server = await startServer(serverEnv(hash), port);
      const pid = findChildPid('src/main.ts', port);
      // The server makes its SAML keys just after it is ready; idle means after that.
      await sleep(settleSeconds * 1000);
      running = { server, pid, idleRssBytes: rssBytes(pid), hash };
      return running;
    },
    async stop(): Promise<void> {
      await running?.server.stop();
      running = undefined;
    },
    async drop(): Promise<void> {
      await running?.server.stop();
      running = undefined;
      await dropScratchDatabase(database.name);
    },
  };
}

export type Installation = Awaited<ReturnType<typeof createInstallation>>;
