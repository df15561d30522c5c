/**
 * The eID-Server simulator on its own (design notes §4, §8 test 7):
 *
 *   node src/dev/eid-simulator/main.ts --port 3100 [--host 127.0.0.1] [--data-dir ./data] [--sector servicekonto-dev]
 *
 * Serves the SOAP eID-Interface at `/eid` and the PAOS stand-in at `/paos`,
 * signs with the development simulator key and trusts the development
 * client certificate, both from `DATA_DIR/eid-dev` (dev-keys.ts): an app
 * started with the same DATA_DIR and `EID_SERVER_URL=http://<host>:<port>/eid`
 * needs nothing else. Refused under NODE_ENV=production (exit code 2).
 *
 * Exports `startSimulator(options)` → `RunningSimulator` for tests (port 0
 * picks a free port) and the types `StartSimulatorOptions`, `RunningSimulator`.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { ensureDevEidKeys } from './dev-keys.ts';
import { eidSimulatorRoutes } from './server.ts';
import { createSimulatorStore, type SimulatorStore } from './sessions.ts';

export interface StartSimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where `eid-dev/` with the development keys lives (DATA_DIR). */
  dataDir: string;
  /** The terminal sector of the RestrictedIDs (EID_SIMULATOR_SECTOR), default servicekonto-dev. */
  sector?: string;
  /** Certificates trusted besides the development client's. */
  trustedClientCertificates?: readonly string[];
  /** pino level, or false for no log (default). */
  logLevel?: string | false;
  now?: () => Date;
}

export interface RunningSimulator {
  /** The base URL, `http://<host>:<port>`. */
  url: string;
  /** EID_SERVER_URL for this instance: `${url}/eid`. */
  soapUrl: string;
  /** The eCardServerAddress it answers: `${url}/paos`. */
  paosUrl: string;
  /** The simulator's signing certificate (EID_SERVER_SIGNING_CERT). */
  certificatePem: string;
  store: SimulatorStore;
  close(): Promise<void>;
}

export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const keys = await ensureDevEidKeys(options.dataDir);
  const store = createSimulatorStore({ sector: options.sector ?? 'servicekonto-dev' });
  const fastify = Fastify({ logger: options.logLevel ? { level: options.logLevel } : false });
  let base = '';
  await fastify.register(
    eidSimulatorRoutes({
      store,
      signingKey: keys.simulator,
      trustedClientCertificates: [keys.client.certificatePem, ...(options.trustedClientCertificates ?? [])],
      // Read per useID: the port is known only after listen (port 0).
      get eCardServerAddress() {
        return `${base}/paos`;
      },
      ...(options.now && { now: options.now }),
    }),
  );
  await fastify.listen({ port: options.port, host });
  base = `http://${urlHost(host)}:${(fastify.server.address() as AddressInfo).port}`;
  return {
    url: base,
    soapUrl: `${base}/eid`,
    paosUrl: `${base}/paos`,
    certificatePem: keys.simulator.certificatePem,
    store,
    close: () => fastify.close(),
  };
}

/** The host as it goes into a URL; a wildcard address is reached over loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

const usage =
  'Usage: node src/dev/eid-simulator/main.ts --port 3100 [--host 127.0.0.1] [--data-dir ./data] [--sector servicekonto-dev]';

async function main(argv: string[]): Promise<number> {
  if (process.env.NODE_ENV === 'production') {
    console.error(
      'eID simulator: refused under NODE_ENV=production. It is a development stand-in for an eID-Server and reads no real ID cards.',
    );
    return 2;
  }
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        sector: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`eID simulator: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const port = Number(values.port ?? '3100');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`eID simulator: --port must be a port number\n${usage}`);
    return 2;
  }
  const simulator = await startSimulator({
    port,
    ...(values.host !== undefined && { host: values.host }),
    dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? './data',
    sector: values.sector ?? process.env.EID_SIMULATOR_SECTOR ?? 'servicekonto-dev',
    logLevel: process.env.LOG_LEVEL ?? 'info',
  });
  const close = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  console.log(
    `eID simulator (development only) ready: EID_SERVER_URL=${simulator.soapUrl}, PAOS stand-in ${simulator.paosUrl}`,
  );
  return 0;
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  if (code !== 0) process.exit(code);
}
