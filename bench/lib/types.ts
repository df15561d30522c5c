import type { Percentiles } from './stats.ts';

/** What the load process needs to know about the installation under load (sent over IPC). */
export interface Fixtures {
  baseUrl: string;
  /** Path of the token endpoint (ours and the bare library's both at /oidc/token). */
  tokenPath: string;
  userinfoPath: string;
  authorizationPath: string;
  /** A confidential client (client_secret_basic). */
  client: { id: string; secret: string; redirectUri: string };
  /** Accounts to log in with; each is used by one login at a time. */
  accounts: { username: string; password: string }[];
  /** The pages a returning citizen's login passes; ours: the method choice and the password page. */
  loginPages?: string[];
  /** Refresh tokens minted by the bare library (no login pages there). */
  refreshTokens?: string[];
  saml?: SamlFixture;
}

export interface SamlFixture {
  entityId: string;
  acs: string;
  slo: string;
  idpEntityId: string;
  idpCertificates: string[];
  signing: { privateKeyPem: string; certificatePem: string };
  encryption: { privateKeyPem: string; certificatePem: string };
  /** Check one Response in this many with node-saml (signature, decryption); every one is checked for shape. */
  validateEvery: number;
  /** The IdP's SSO endpoint (HTTP-Redirect binding), when it is not ours at /saml/sso (a peer's). */
  ssoUrl?: string;
}

export type ScenarioName = 'login' | 'refresh' | 'client-credentials' | 'userinfo' | 'saml' | 'saml-simplesamlphp';

export type Phase =
  | { mode: 'closed'; concurrency: number; warmupSeconds: number; seconds: number }
  | { mode: 'open'; rate: number; maxInFlight: number; warmupSeconds: number; seconds: number };

export interface PhaseResult {
  mode: Phase['mode'];
  /** Concurrency (closed) or offered arrivals per second (open). */
  load: number;
  /** Wall seconds of the measured window. */
  seconds: number;
  completed: number;
  /** Iterations that completed in the whole phase: warm-up, window and those still running when it closed. */
  completedInPhase: number;
  errors: number;
  errorSamples: string[];
  latencyMs: Percentiles;
  /** Open loop: arrivals that were due in the window but never started (the generator fell behind). */
  notStarted: number;
  /**
   * CPU seconds the load process itself used in the window: near 1 per second means it, not the server, was the limit.
   */
  loadCpuSeconds: number;
}

export type ToLoad =
  | { type: 'prepare'; scenario: ScenarioName; fixtures: Fixtures; slots: number; warmAccounts: boolean }
  | { type: 'phase'; phase: Phase }
  | { type: 'exit' };

export type FromLoad =
  | { type: 'prepared'; seconds: number }
  | { type: 'window'; edge: 'start' | 'end' }
  | { type: 'result'; result: PhaseResult }
  | { type: 'failed'; message: string };
