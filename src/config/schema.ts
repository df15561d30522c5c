/**
 * The one configuration schema (STYLE.md habit 7): every setting is read from
 * the environment, validated at start, and documented here in one line.
 * The README's configuration table is generated from the same `doc` strings.
 */
import type { SiteConfig } from './site.ts';

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
  /** eID login through a TR-03130 eID-Server, or the built-in simulator in development; undefined: not offered. */
  eid: EidConfig | undefined;
  /** Log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** argon2id memory cost in KiB, time cost and parallelism. */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** Ceiling on argon2 computations at once, and how long one may wait for a place (issue 13 §4). */
  passwordWork: { maxConcurrent: number; queueTimeoutMs: number };
  /** Slow clients and open connections per address (issue 13 §11). */
  connections: { headersTimeoutSeconds: number; maxPerAddress: number };
  /** Which reverse proxies' X-Forwarded-For to trust: none, a number of hops, or addresses/CIDR ranges. */
  trustProxy: false | number | string;
  /** Hosts whose SAML metadata may be fetched from non-public addresses (lower case). */
  samlMetadataAllowedHosts: readonly string[];
  /** Start the example online service beside the Servicekonto (development only). */
  startExample: boolean;
  /** Port of the example online service. */
  examplePort: number;
  /** Deletion of unused accounts and the two warnings before it, in months (DESIGN.md §7). */
  inactivity: InactivityConfig;
  /** The operator: name, contact, colour and the folder of its legal and help pages (issue 15 §9). */
  site: SiteConfig;
}

/** Months: unused this long, the account is deleted; the warnings go out this many months before. */
export interface InactivityConfig {
  deleteAfterMonths: number;
  firstWarningMonths: number;
  secondWarningMonths: number;
}

export interface EidConfig {
  /** The eID-Server's SOAP endpoint; undefined with the built-in simulator. */
  serverUrl: string | undefined;
  /** The built-in simulator is mounted and answers (never in production). */
  simulator: boolean;
  /** PEM file paths: TLS client certificate and key, the server's TLS trust anchor (TR-03130-1 §3.5.1). */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  serverCaFile: string | undefined;
  /**
   * PEM file paths: our WS-Security key and certificate (default: the TLS pair), and the server's pinned signing
   * certificate (TR-03130-1 §3.5.2).
   */
  signingKeyFile: string | undefined;
  signingCertFile: string | undefined;
  serverSigningCertFile: string | undefined;
  /** The terminal sector the stored card links belong to. */
  sector: string;
  /** Where the citizen's eID client listens (desktop) and its phone form. */
  clientUrl: string;
  clientUrlMobile: string;
  /** The TC token's ServerAddress when useID names none. */
  ecardServerAddress: string | undefined;
  /** How long one card reading may take. */
  transactionMinutes: number;
}

export interface Setting {
  env: string;
  default: string;
  doc: string;
}

/** Every variable with its default and its doc line, in README order. */
export const settings: readonly Setting[] = [
  { env: 'PORT', default: '3000', doc: 'TCP port of the Servicekonto.' },
  {
    env: 'HOST',
    default: '127.0.0.1 outside production, 0.0.0.0 in production',
    doc: 'Address to bind to. Outside production only this machine reaches the server (the development pages show reset links); any other address there is warned about at start.',
  },
  {
    env: 'PUBLIC_URL',
    default: 'http://localhost:3000',
    doc: 'Public base URL; the OIDC issuer and the SAML entityID base. https in production.',
  },
  { env: 'DATABASE_URL', default: '(unset)', doc: 'PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR.' },
  { env: 'DATA_DIR', default: './data', doc: 'Folder of the embedded database.' },
  { env: 'ALLOW_EMBEDDED_DB', default: 'false', doc: 'Allow the embedded database when NODE_ENV=production.' },
  {
    env: 'SMTP_URL',
    default: '(unset)',
    doc: 'SMTP server, e.g. smtp://user:pass@mail.example:587. Unset: development outbox at /dev/mail (not in production).',
  },
  { env: 'MAIL_FROM', default: 'Servicekonto <no-reply@localhost>', doc: 'Sender of every mail.' },
  {
    env: 'SMS_GATEWAY_URL',
    default: '(unset)',
    doc: 'HTTP SMS gateway for SMS-TAN: POST of JSON {to, text, from}. Unset: development SMS sink at /dev/sms; in production SMS-TAN is then not offered.',
  },
  { env: 'SMS_GATEWAY_TOKEN', default: '(unset)', doc: 'Bearer token sent to the SMS gateway.' },
  {
    env: 'SMS_SENDER',
    default: 'Anmeldung',
    doc: 'Sender name of every SMS (at most 11 letters or digits, GSM alphanumeric sender).',
  },
  {
    env: 'EID_SERVER_URL',
    default: '(unset)',
    doc: 'SOAP endpoint of the eID-Server (BSI TR-03130). Unset: the built-in simulator outside production; in production eID login is then not offered.',
  },
  {
    env: 'EID_SIMULATOR',
    default: 'true outside production when EID_SERVER_URL is unset',
    doc: 'Mount the eID-Server simulator and the simulated eID client at /dev/eid-client (refused in production).',
  },
  {
    env: 'EID_CLIENT_TLS_CERT',
    default: '(unset)',
    doc: 'PEM file: TLS client certificate for the eID-Server (required with EID_SERVER_URL in production).',
  },
  { env: 'EID_CLIENT_TLS_KEY', default: '(unset)', doc: 'PEM file: private key of EID_CLIENT_TLS_CERT.' },
  {
    env: 'EID_SERVER_CA',
    default: '(unset)',
    doc: "PEM file: trust anchor of the eID-Server's TLS certificate; when set, nothing else is trusted. Unset: Node's default CA store.",
  },
  {
    env: 'EID_SIGNING_CERT',
    default: 'EID_CLIENT_TLS_CERT',
    doc: 'PEM file: certificate of our WS-Security signatures (TR-03130-1 §3.5.2). Outside production without it: the development key in DATA_DIR/eid-dev.',
  },
  { env: 'EID_SIGNING_KEY', default: 'EID_CLIENT_TLS_KEY', doc: 'PEM file: private key of EID_SIGNING_CERT.' },
  {
    env: 'EID_SERVER_SIGNING_CERT',
    default: '(unset)',
    doc: "PEM file: the eID-Server's signing certificate, pinned. Outside production without it: the development simulator's certificate in DATA_DIR/eid-dev.",
  },
  {
    env: 'EID_SECTOR',
    default: 'servicekonto-dev',
    doc: 'Name of the terminal sector (authorisation certificate) the stored card links belong to; required in production; change it only with a migration plan.',
  },
  {
    env: 'EID_CLIENT_URL',
    default: 'http://127.0.0.1:24727/eID-Client',
    doc: 'The eID client (AusweisApp) on desktops. With the simulator: PUBLIC_URL/dev/eid-client/eID-Client.',
  },
  {
    env: 'EID_CLIENT_URL_MOBILE',
    default: 'eid://127.0.0.1:24727/eID-Client',
    doc: 'The eID client on phones. With the simulator: as EID_CLIENT_URL.',
  },
  {
    env: 'EID_ECARD_SERVER_ADDRESS',
    default: '(unset)',
    doc: "PAOS address for the TC token when the eID-Server's useID answer names none.",
  },
  { env: 'EID_TRANSACTION_MINUTES', default: '10', doc: 'How long one reading of the card may take.' },
  {
    env: 'NODE_ENV',
    default: 'development',
    doc: 'development, test or production. `production`: no development pages, secure cookies, https, SMTP and PostgreSQL required (embedded database only if allowed).',
  },
  { env: 'LOG_LEVEL', default: 'info', doc: 'fatal, error, warn, info, debug, trace or silent.' },
  {
    env: 'ARGON2_MEMORY_KIB',
    default: '19456',
    doc: 'argon2id memory cost (KiB). Hashes with other parameters are renewed at the next login.',
  },
  { env: 'ARGON2_TIME_COST', default: '2', doc: 'argon2id iterations.' },
  { env: 'ARGON2_PARALLELISM', default: '1', doc: 'argon2id lanes.' },
  {
    env: 'ARGON2_CONCURRENCY',
    default: 'number of CPUs',
    doc: 'Most password hashes computed at once, whatever the number of clients; more wait in line.',
  },
  {
    env: 'ARGON2_QUEUE_MS',
    default: '2000',
    doc: 'How long a password check may wait in line (milliseconds) before the page "very busy, try again" (503 with Retry-After) is shown instead.',
  },
  {
    env: 'TRUST_PROXY',
    default: 'false',
    doc: 'Reverse proxies whose X-Forwarded-For counts for rate limits: false, a number of hops (e.g. 1), or addresses and CIDR ranges (e.g. 10.0.0.0/8,127.0.0.1). Never trust every hop: clients could pick their own address.',
  },
  {
    env: 'HEADERS_TIMEOUT_SECONDS',
    default: '10',
    doc: 'A client that has not sent its request headers after this many seconds is cut off (slowloris).',
  },
  {
    env: 'MAX_CONNECTIONS_PER_ADDRESS',
    default: '128',
    doc: 'Open connections one client address (an IPv6 /64) may hold; 0: no cap. Off when TRUST_PROXY is set: every connection then comes from the proxy, which must limit its clients.',
  },
  {
    env: 'SAML_METADATA_ALLOWED_HOSTS',
    default: '(unset)',
    doc: 'Host names (comma-separated) whose SAML metadata URL may resolve to a loopback, private, link-local or other non-public address. Unset: such addresses are refused in production (outside production loopback is allowed).',
  },
  {
    env: 'START_EXAMPLE',
    default: 'true outside production',
    doc: 'Also start the example online service "Elternbeiträge Online", registered as a client, with a demo citizen account (never in production).',
  },
  { env: 'EXAMPLE_PORT', default: '3001', doc: 'Port of the example online service.' },
  {
    env: 'INACTIVITY_DELETE_MONTHS',
    default: '24',
    doc: 'An account neither logged in to nor used for this many months is deleted with its data; the services holding its consent are told (DESIGN.md §7).',
  },
  {
    env: 'INACTIVITY_FIRST_WARNING_MONTHS',
    default: '6',
    doc: 'The first warning mail goes out this many months before the deletion.',
  },
  {
    env: 'INACTIVITY_SECOND_WARNING_MONTHS',
    default: '3',
    doc: 'The second warning mail goes out this many months before the deletion; less than the first.',
  },
  {
    env: 'SITE_NAME',
    default: 'Musterland (example)',
    doc: 'The state or municipality that runs the Servicekonto, shown in the header, the page titles and the Impressum. Required in production.',
  },
  {
    env: 'SITE_ADDRESS',
    default: 'an example address',
    doc: 'Postal address of the operator, lines separated by semicolons, e.g. `Ministerium für Digitales; Beispielstraße 1; 12345 Beispielstadt`. Shown in the footer and the Impressum. Required in production.',
  },
  {
    env: 'SITE_EMAIL',
    default: 'servicekonto@musterland.example',
    doc: 'Contact mail address in the footer, the Impressum and as the feedback contact of the accessibility statement (BITV 2.0 § 12a). Required in production.',
  },
  {
    env: 'SITE_COLOR',
    default: "(unset: KERN's dark blue)",
    doc: "KERN's primary colour (`--kern-color-action-default`: links, buttons) as #rrggbb, in the light theme. Refused unless it has 4.5:1 contrast against KERN's light backgrounds and under white button text.",
  },
  {
    env: 'SITE_DIR',
    default: '(unset: the examples in src/site/pages)',
    doc: 'Folder of the operator\'s pages (impressum.html, datenschutz.html, …, optionally `<page>.en.html`), its logo (logo.svg or logo.png) and its sign-language video (gebaerdensprache.mp4 or .webm, captions gebaerdensprache.vtt). See "Operator: legal pages and branding". A production start refuses example pages.',
  },
];
