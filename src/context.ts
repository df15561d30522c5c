import type Provider from 'oidc-provider';
import type { AuditLog } from './audit/audit-log.ts';
import type { Config } from './config/schema.ts';
import type { ConsentRepository } from './flows/consent/consent-repository.ts';
import type { AccountRepository } from './identity/account-repository.ts';
import type { AttributeRepository } from './identity/attribute-repository.ts';
import type { Methods } from './methods/registry.ts';
import type { EidService } from './methods/eid/service.ts';
import type { PasswordHasher } from './methods/password/hash.ts';
import type { LoginThrottle } from './methods/password/throttle.ts';
import type { PasswordStore } from './methods/password/password-repository.ts';
import type { Clock } from './platform/clock.ts';
import type { Database, Queryable } from './platform/db/database.ts';
import type { CookieNames } from './platform/http/cookies.ts';
import type { Csrf } from './platform/http/csrf.ts';
import type { RateLimiter } from './platform/http/rate-limit.ts';
import type { JobQueue } from './platform/jobs/queue.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import type { ServiceLogout } from './oidc/backchannel.ts';
import type { Repositories } from './repositories.ts';
import type { ServiceRepository } from './services/service-repository.ts';
import type { SsoSessions } from './session/sso-session-repository.ts';
import type { LogoutFanOut } from './session/logout-fan-out.ts';
import type { SamlKeyring } from './saml/crypto/keys.ts';
import type { PendingSamlLogins } from './saml/login/pending-login-repository.ts';

/** Everything a route needs, built once in app.ts and passed in (STYLE.md habit 3). */
export interface AppContext {
  config: Config;
  db: Database;
  /** Every repository over the database or a transaction: `app.repos(tx).accounts` (repositories.ts). */
  repos(q: Queryable): Repositories;
  clock: Clock;
  accounts: AccountRepository;
  attributes: AttributeRepository;
  passwords: PasswordStore;
  hasher: PasswordHasher;
  /** The registered authentication methods (methods/registry.ts); `all` lists the login choices, `password` first. */
  methods: Methods;
  loginThrottle: LoginThrottle;
  sessions: SsoSessions;
  services: ServiceRepository;
  consents: ConsentRepository;
  audit: AuditLog;
  jobs: JobQueue;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  csrf: Csrf;
  cookies: CookieNames;
  provider: Provider;
  /** Tells services when sessions end outside the logout page. */
  serviceLogout: ServiceLogout;
  /** What each protocol does when sessions end (session/logout-fan-out.ts). */
  logout: LogoutFanOut;
  /** eID login (issue 6); undefined when neither an eID-Server nor the simulator is configured. */
  eid: EidService | undefined;
  saml: {
    /** Our entityID, `${PUBLIC_URL}/saml/metadata`. */
    entityId: string;
    /** The IdP keys, made on first use (most installations start with OIDC only). */
    keys(): Promise<SamlKeyring>;
    pending: PendingSamlLogins;
    /** The OIDC pairwise secret: bPK2 and the pairwise `sub` are one pseudonym (DESIGN.md §4). */
    pseudonymSecret: string;
  };
}
