import { availableParallelism } from 'node:os';
import { browserBlockedPort } from './bad-ports.ts';
import { ConfigError } from './error.ts';
import type { Config, EidConfig, InactivityConfig } from './schema.ts';
import { readSite } from './site.ts';

export { ConfigError } from './error.ts';

type Env = Record<string, string | undefined>;

/** A port the citizens' browsers could not reach stops the start (bad-ports.ts). */
function refuseBlockedPort(variable: string, port: number): number {
  const problem = browserBlockedPort(port);
  if (problem) throw new ConfigError(variable, problem);
  return port;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function readUrl(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `must start with ${protocols.join(' or ')}`);
  return raw;
}

/**
 * `true` would trust every X-Forwarded-For hop, so any client could choose the
 * address its login attempts are counted under; only hop counts and address
 * lists are accepted.
 */
function readTrustProxy(env: Env): false | number | string {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  if (raw === 'true')
    throw new ConfigError(
      'TRUST_PROXY',
      'give the number of proxies (e.g. 1) or their addresses, not true: trusting every hop lets clients choose their address',
    );
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry))) return entries.join(',');
  throw new ConfigError('TRUST_PROXY', `expected false, a number of hops, or addresses/CIDR ranges, got "${raw}"`);
}

/**
 * Host names, comma-separated; an address literal in IPv6 brackets is kept without them (as URL.hostname less
 * brackets).
 */
function readHostList(env: Env, name: string): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((entry) =>
      entry
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter((entry) => entry !== '');
  const bad = entries.find((entry) => !/^[a-z0-9.:-]{1,253}$/.test(entry));
  if (bad !== undefined) throw new ConfigError(name, `expected host names separated by commas, got "${bad}"`);
  return entries;
}

function readFilePath(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (/[\r\n\0]/.test(raw)) throw new ConfigError(name, 'must be a file path');
  return raw;
}

/**
 * eID (issue 6): a real eID-Server needs mutual TLS and signed SOAP
 * (TR-03130-1 §3.5), so production needs the files; the simulator is a
 * development tool and a ConfigError in production (STYLE.md habit 7).
 */
function readEid(env: Env, production: boolean, publicUrl: string, warnings: string[]): EidConfig | undefined {
  const serverUrl = readUrl(env, 'EID_SERVER_URL', undefined, production ? ['https:'] : ['http:', 'https:']);
  const simulator = readBool(env, 'EID_SIMULATOR', !production && serverUrl === undefined);
  if (simulator && production)
    throw new ConfigError('EID_SIMULATOR', 'the eID simulator is for development and tests only');
  if (simulator && serverUrl !== undefined)
    throw new ConfigError('EID_SIMULATOR', 'set either EID_SERVER_URL or EID_SIMULATOR=true, not both');
  const tlsCertFile = readFilePath(env, 'EID_CLIENT_TLS_CERT');
  const tlsKeyFile = readFilePath(env, 'EID_CLIENT_TLS_KEY');
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined))
    throw new ConfigError(
      tlsCertFile ? 'EID_CLIENT_TLS_KEY' : 'EID_CLIENT_TLS_CERT',
      'the TLS client certificate and key come together',
    );
  const signingCertFile = readFilePath(env, 'EID_SIGNING_CERT') ?? tlsCertFile;
  const signingKeyFile = readFilePath(env, 'EID_SIGNING_KEY') ?? tlsKeyFile;
  if ((signingCertFile === undefined) !== (signingKeyFile === undefined))
    throw new ConfigError(
      signingCertFile ? 'EID_SIGNING_KEY' : 'EID_SIGNING_CERT',
      'the signing certificate and key come together',
    );
  const serverSigningCertFile = readFilePath(env, 'EID_SERVER_SIGNING_CERT');
  if (production && serverUrl !== undefined) {
    if (tlsCertFile === undefined)
      throw new ConfigError('EID_CLIENT_TLS_CERT', 'is required with EID_SERVER_URL in production (TR-03130-1 §3.5.1)');
    if (serverSigningCertFile === undefined)
      throw new ConfigError(
        'EID_SERVER_SIGNING_CERT',
        'is required with EID_SERVER_URL in production (TR-03130-1 §3.5.2)',
      );
  }
  if (!serverUrl && !simulator) {
    if (production) warnings.push('EID_SERVER_URL is unset; eID login is not offered.');
    return undefined;
  }
  // The sector names the authorisation certificate's RestrictedIDs: a real server needs the real one.
  if (production && !env.EID_SECTOR)
    throw new ConfigError(
      'EID_SECTOR',
      'is required with EID_SERVER_URL in production (the terminal sector of the authorisation certificate)',
    );
  const sector = env.EID_SECTOR || 'servicekonto-dev';
  if (!/^[\w.:-]{1,100}$/.test(sector))
    throw new ConfigError('EID_SECTOR', 'letters, digits and . : _ - only, at most 100');
  const simulatedClient = `${publicUrl}/dev/eid-client/eID-Client`;
  const clientUrl = readUrl(env, 'EID_CLIENT_URL', simulator ? simulatedClient : 'http://127.0.0.1:24727/eID-Client', [
    'http:',
    'https:',
  ]) as string;
  const clientUrlMobile = readUrl(
    env,
    'EID_CLIENT_URL_MOBILE',
    simulator ? simulatedClient : 'eid://127.0.0.1:24727/eID-Client',
    ['http:', 'https:', 'eid:'],
  ) as string;
  if (simulator)
    warnings.push(`eID login uses the built-in simulator; the simulated eID client is at ${simulatedClient}.`);
  return {
    serverUrl,
    simulator,
    tlsCertFile,
    tlsKeyFile,
    serverCaFile: readFilePath(env, 'EID_SERVER_CA'),
    signingKeyFile,
    signingCertFile,
    serverSigningCertFile,
    sector,
    clientUrl,
    clientUrlMobile,
    ecardServerAddress: readUrl(
      env,
      'EID_ECARD_SERVER_ADDRESS',
      undefined,
      production ? ['https:'] : ['http:', 'https:'],
    ),
    transactionMinutes: readInt(env, 'EID_TRANSACTION_MINUTES', 10, 2, 30),
  };
}

/** Loopback addresses: nothing bound there is reachable from another machine. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./i.test(host);
}

/**
 * Outside production the server binds to loopback unless HOST says otherwise
 * (issue 13 §11): the development pages show reset links, SMS codes and a
 * simulated ID card. Production binds to every interface, as a container or
 * a host behind a proxy needs, and has no development pages.
 */
function readHost(
  env: Env,
  production: boolean,
  pages: { smtpUrl: string | undefined; smsGatewayUrl: string | undefined; eidSimulator: boolean },
  warnings: string[],
): string {
  const host = env.HOST || (production ? '0.0.0.0' : '127.0.0.1');
  if (/[\s/]/.test(host)) throw new ConfigError('HOST', `expected an address or host name, got "${host}"`);
  const exposed = [
    ...(pages.smtpUrl ? [] : ['/dev/mail (mails with password reset links)']),
    ...(pages.smsGatewayUrl ? [] : ['/dev/sms (SMS codes)']),
    ...(pages.eidSimulator ? ['/dev/eid-client (a simulated ID card)'] : []),
  ];
  if (!production && !isLoopback(host) && exposed.length > 0) {
    warnings.push(
      `DANGER: HOST=${host} makes the development pages ${exposed.join(', ')} reachable from the network: anyone who reaches this port can take over accounts. Bind to 127.0.0.1 (the default outside production) or configure SMTP_URL, SMS_GATEWAY_URL and EID_SERVER_URL.`,
    );
  }
  return host;
}

/**
 * Inactivity deletion (DESIGN.md §7, PROFILES.md §5: 24 months, warned 6 and 3 months before): the warnings must come
 * in order and before the deletion, or a citizen would be deleted unwarned.
 */
function readInactivity(env: Env): InactivityConfig {
  const deleteAfterMonths = readInt(env, 'INACTIVITY_DELETE_MONTHS', 24, 2, 240);
  const firstWarningMonths = readInt(env, 'INACTIVITY_FIRST_WARNING_MONTHS', 6, 1, 120);
  const secondWarningMonths = readInt(env, 'INACTIVITY_SECOND_WARNING_MONTHS', 3, 1, 120);
  if (firstWarningMonths >= deleteAfterMonths)
    throw new ConfigError('INACTIVITY_FIRST_WARNING_MONTHS', 'must be less than INACTIVITY_DELETE_MONTHS');
  if (secondWarningMonths >= firstWarningMonths)
    throw new ConfigError('INACTIVITY_SECOND_WARNING_MONTHS', 'must be less than INACTIVITY_FIRST_WARNING_MONTHS');
  return { deleteAfterMonths, firstWarningMonths, secondWarningMonths };
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): { config: Config; warnings: string[] } {
  const nodeEnv = env.NODE_ENV || 'development';
  // A misspelt value must not silently turn on development pages.
  if (!['development', 'test', 'production'].includes(nodeEnv))
    throw new ConfigError('NODE_ENV', `must be development, test or production, got "${nodeEnv}"`);
  const production = nodeEnv === 'production';
  const warnings: string[] = [];

  const publicUrlRaw = readUrl(env, 'PUBLIC_URL', undefined, ['http:', 'https:']);
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const publicUrl = (publicUrlRaw ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (new URL(publicUrl).pathname !== '/') throw new ConfigError('PUBLIC_URL', 'must not contain a path');
  refuseBlockedPort('PORT', port);
  refuseBlockedPort('PUBLIC_URL', Number(new URL(publicUrl).port));
  if (production && !publicUrl.startsWith('https:'))
    throw new ConfigError('PUBLIC_URL', 'must use https in production');
  if (publicUrlRaw === undefined) warnings.push(`PUBLIC_URL is unset; using ${publicUrl} (development default).`);

  const databaseUrl = readUrl(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const allowEmbeddedDb = readBool(env, 'ALLOW_EMBEDDED_DB', false);
  if (databaseUrl === undefined) {
    if (production && !allowEmbeddedDb) {
      throw new ConfigError(
        'DATABASE_URL',
        'is required in production (or set ALLOW_EMBEDDED_DB=true to use the embedded database)',
      );
    }
    warnings.push('DATABASE_URL is unset; using the embedded database (one process only, not for production).');
  }

  const smtpUrl = readUrl(env, 'SMTP_URL', undefined, ['smtp:', 'smtps:']);
  if (smtpUrl === undefined) {
    if (production) throw new ConfigError('SMTP_URL', 'is required in production');
    warnings.push('SMTP_URL is unset; mails go to the development outbox at /dev/mail.');
  }

  const smsGatewayUrl = readUrl(env, 'SMS_GATEWAY_URL', undefined, production ? ['https:'] : ['http:', 'https:']);
  if (smsGatewayUrl === undefined) {
    warnings.push(
      production
        ? 'SMS_GATEWAY_URL is unset; SMS-TAN is not offered.'
        : 'SMS_GATEWAY_URL is unset; SMS go to the development sink at /dev/sms.',
    );
  }
  const smsGatewayToken = env.SMS_GATEWAY_TOKEN || undefined;
  if (smsGatewayToken !== undefined && /[\r\n]/.test(smsGatewayToken))
    throw new ConfigError('SMS_GATEWAY_TOKEN', 'must be one line');
  const smsSender = env.SMS_SENDER || 'Anmeldung';
  // Alphanumeric senders are limited to 11 characters by the GSM networks (3GPP TS 23.040).
  if (!/^[A-Za-z0-9 ]{1,11}$/.test(smsSender))
    throw new ConfigError('SMS_SENDER', 'must be 1 to 11 letters, digits or spaces');

  const eid = readEid(env, production, publicUrl, warnings);

  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${logLevels.join(', ')}`);
  }

  const mailFrom = env.MAIL_FROM ?? 'Servicekonto <no-reply@localhost>';
  if (mailFrom.length > 200 || /[\r\n]/.test(mailFrom))
    throw new ConfigError('MAIL_FROM', 'must be one line of at most 200 characters');

  const trustProxy = readTrustProxy(env);
  const host = readHost(env, production, { smtpUrl, smsGatewayUrl, eidSimulator: eid?.simulator === true }, warnings);
  const config: Config = {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir: env.DATA_DIR || './data',
    allowEmbeddedDb,
    smtpUrl,
    mailFrom,
    smsGatewayUrl,
    smsGatewayToken,
    smsSender,
    production,
    eid,
    logLevel: logLevel as Config['logLevel'],
    argon2: {
      // OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 as the minimum.
      memoryCost: readInt(env, 'ARGON2_MEMORY_KIB', 19456, 1024, 4 * 1024 * 1024),
      timeCost: readInt(env, 'ARGON2_TIME_COST', 2, 1, 100),
      parallelism: readInt(env, 'ARGON2_PARALLELISM', 1, 1, 64),
    },
    passwordWork: {
      maxConcurrent: readInt(env, 'ARGON2_CONCURRENCY', availableParallelism(), 1, 1024),
      queueTimeoutMs: readInt(env, 'ARGON2_QUEUE_MS', 2000, 0, 60_000),
    },
    trustProxy,
    connections: {
      headersTimeoutSeconds: readInt(env, 'HEADERS_TIMEOUT_SECONDS', 10, 1, 300),
      // Behind a proxy every connection comes from it: the cap would shut out everyone at once.
      maxPerAddress: trustProxy === false ? readInt(env, 'MAX_CONNECTIONS_PER_ADDRESS', 128, 0, 100_000) : 0,
    },
    samlMetadataAllowedHosts: readHostList(env, 'SAML_METADATA_ALLOWED_HOSTS'),
    startExample: readBool(env, 'START_EXAMPLE', !production) && !production,
    examplePort: refuseBlockedPort('EXAMPLE_PORT', readInt(env, 'EXAMPLE_PORT', 3001, 1, 65535)),
    inactivity: readInactivity(env),
    site: readSite(env, warnings),
  };
  return { config, warnings };
}
