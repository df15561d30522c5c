/**
 * The one configuration schema (STYLE.md habit 7): every setting is read from
 * the environment, validated at start, and documented here in one line.
 * The README's configuration table is generated from the same `doc` strings.
 */
export interface Config {
  /** TCP port of the Servicekonto. */
  port: number;
  /** Address the process binds to. */
  host: string;
  /** Public base URL: the OIDC issuer and SAML entityID base. */
  publicUrl: string;
  /** PostgreSQL connection string; unset means embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database and other local state. */
  dataDir: string;
  /** Allow the embedded database in production. */
  allowEmbeddedDb: boolean;
  /** SMTP connection URL; unset means the development outbox. */
  smtpUrl: string | undefined;
  /** Sender address of every mail. */
  mailFrom: string;
  /** HTTP SMS gateway; unset means the development SMS sink, or no SMS-TAN in production. */
  smsGatewayUrl: string | undefined;
  /** Bearer token for the SMS gateway. */
  smsGatewayToken: string | undefined;
  /** Sender name shown on SMS. */
  smsSender: string;
  /** `production` turns off development pages and turns on secure cookies. */
  production: boolean;
  /** Log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** argon2id memory cost in KiB, time cost and parallelism. */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** Which reverse proxies' X-Forwarded-For to trust: none, a number of hops, or addresses/CIDR ranges. */
  trustProxy: false | number | string;
  /** Start the example online service beside the Servicekonto (development only). */
  startExample: boolean;
  /** Port of the example online service. */
  examplePort: number;
}

export interface Setting {
  env: string;
  default: string;
  doc: string;
}

/** Every variable with its default and its doc line, in README order. */
export const settings: readonly Setting[] = [
  { env: 'PORT', default: '3000', doc: 'TCP port of the Servicekonto.' },
  { env: 'HOST', default: '0.0.0.0', doc: 'Address to bind to.' },
  { env: 'PUBLIC_URL', default: 'http://localhost:3000', doc: 'Public base URL; the OIDC issuer and the SAML entityID base. https in production.' },
  { env: 'DATABASE_URL', default: '(unset)', doc: 'PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR.' },
  { env: 'DATA_DIR', default: './data', doc: 'Folder of the embedded database.' },
  { env: 'ALLOW_EMBEDDED_DB', default: 'false', doc: 'Allow the embedded database when NODE_ENV=production.' },
  { env: 'SMTP_URL', default: '(unset)', doc: 'SMTP server, e.g. smtp://user:pass@mail.example:587. Unset: development outbox at /dev/mail (not in production).' },
  { env: 'MAIL_FROM', default: 'Servicekonto <no-reply@localhost>', doc: 'Sender of every mail.' },
  { env: 'SMS_GATEWAY_URL', default: '(unset)', doc: 'HTTP SMS gateway for SMS-TAN: POST of JSON {to, text, from}. Unset: development SMS sink at /dev/sms; in production SMS-TAN is then not offered.' },
  { env: 'SMS_GATEWAY_TOKEN', default: '(unset)', doc: 'Bearer token sent to the SMS gateway.' },
  { env: 'SMS_SENDER', default: 'Anmeldung', doc: 'Sender name of every SMS (at most 11 letters or digits, GSM alphanumeric sender).' },
  { env: 'NODE_ENV', default: 'development', doc: 'development, test or production. `production`: no development pages, secure cookies, https, SMTP and PostgreSQL required (embedded database only if allowed).' },
  { env: 'LOG_LEVEL', default: 'info', doc: 'fatal, error, warn, info, debug, trace or silent.' },
  { env: 'ARGON2_MEMORY_KIB', default: '19456', doc: 'argon2id memory cost (KiB). Hashes with other parameters are renewed at the next login.' },
  { env: 'ARGON2_TIME_COST', default: '2', doc: 'argon2id iterations.' },
  { env: 'ARGON2_PARALLELISM', default: '1', doc: 'argon2id lanes.' },
  { env: 'TRUST_PROXY', default: 'false', doc: 'Reverse proxies whose X-Forwarded-For counts for rate limits: false, a number of hops (e.g. 1), or addresses and CIDR ranges (e.g. 10.0.0.0/8,127.0.0.1). Never trust every hop: clients could pick their own address.' },
  { env: 'START_EXAMPLE', default: 'true outside production', doc: 'Also start the example online service "Elternbeiträge Online", registered as a client, with a demo citizen account (never in production).' },
  { env: 'EXAMPLE_PORT', default: '3001', doc: 'Port of the example online service.' },
];
