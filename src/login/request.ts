import type { FastifyReply } from 'fastify';
import type { AuditEvent } from '../audit/audit-log.ts';
import type { SecondFactorWish } from '../methods/means-repository.ts';
import type { Queryable } from '../platform/db/database.ts';
import type { Level } from '../session/limits.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import type { Language } from '../text/index.ts';

/**
 * Why a login ends without a session for the service; each front door says
 * it in its own terms (OIDC error, SAML status).
 */
export type LoginRefusal =
  /** The account cannot reach the level (identity data or means). */
  | { kind: 'unmet'; required: Level; reachable: number }
  /** A page would be needed, and the service asked for none. */
  | { kind: 'passive'; reason: 'login-needed' | 'step-up-needed' | 'consent-needed' }
  /** Attributes the service requires and the account cannot provide. */
  | { kind: 'attributes'; missing: readonly string[] }
  /** The citizen cancelled (or declined the release). */
  | { kind: 'cancel' };

/** How a front door answers its service: the only part of a login that knows the protocol. */
export interface LoginAnswerer {
  /**
   * Names of attributes the service requires that the account cannot provide.
   * Absent where a service requires none (OIDC releases by scope).
   */
  missingAttributes?(session: SsoSession): Promise<readonly string[]>;
  /**
   * Whether the citizen's consent covers the release; false sends them to `${base}/consent`. Absent where the
   * protocol asks itself (oidc-provider's consent prompt) or nothing is released.
   */
  consented?(session: SsoSession): Promise<boolean>;
  /**
   * The account's second-factor wish for the registry's second-factor kinds
   * (login/next-step.ts), where the answer reads the account anyway: one
   * read for the checks and the answer (issue 16). Absent: the login step
   * reads it itself.
   */
  secondFactorWish?(session: SsoSession): Promise<SecondFactorWish>;
  /** The session is ready: answer the service (or go on to where the citizen was going). */
  accept(session: SsoSession): Promise<FastifyReply>;
  /**
   * `accept`, appending these audit events (the login naming the service)
   * in the transaction of the answer's own writes, before its own event
   * (issue 16: one transaction per answer). Absent: they are appended in a
   * transaction of their own before `accept`.
   */
  acceptAuditing?(session: SsoSession, events: readonly AuditEvent[]): Promise<FastifyReply>;
  /**
   * Where the protocol stores its answer (OIDC: the interaction's result), the writes of `accept` in the
   * transaction that starts the session (issue 16: one transaction per login); the answer then only sends. Absent:
   * `accept` after the commit.
   */
  acceptInTransaction?(session: SsoSession, tx: Queryable): Promise<(() => Promise<FastifyReply>) | undefined>;
  refuse(refusal: LoginRefusal): Promise<FastifyReply>;
}

/** The way out of a login's pages without finishing. */
export type LoginCancel = { kind: 'form'; action: string } | { kind: 'link'; href: string };

/**
 * One login, whoever asks for it: a service by OIDC or SAML, "Mein Konto"
 * (the confirmation with a second factor), the stand-alone login, recovery
 * and guest logins. The front door that builds it is the only place that
 * knows where it came from (STYLE.md, "one login request, many front doors").
 */
export interface LoginRequest {
  /** The service asking; undefined on the account's own pages. */
  service: { id: string; displayName: string; operator?: string | undefined } | undefined;
  /** The level the session must reach. */
  required: Level;
  /** Login methods of ours the service allows (SAML AKDB AuthnMethods); undefined: all. */
  allowedMethods: readonly string[] | undefined;
  /** The service wants no page of ours (SAML IsPassive). */
  passive: boolean;
  /** Only a login made after this answers (SAML ForceAuthn). */
  forceAfter: Date | undefined;
  /** The service's language for this login's pages (AKDB `Lang`). */
  lang: Language | undefined;
  /** The concrete URL prefix of this login's pages. */
  base: string;
  cancel: LoginCancel;
  /** Where registration leads back to. */
  returnTo: string | undefined;
  /** Whether the login page offers the guest login (oidc/guest-offer.ts, saml/login/guest-offer.ts). */
  guest: boolean;
  /** Makes the login survive the redirect to one of its pages (a SAML login is stored only then). */
  beforePage(): Promise<void>;
  answer: LoginAnswerer;
}
