/**
 * Exports the types `GuestLogin` and `GuestDoor`: a guest login inside one
 * service's login (design notes §6 Guest login), in the terms both
 * protocols share. Each protocol has its door (oidc/guest-login.ts,
 * saml/login/guest-login.ts), registered in app.ts.
 *
 * Loading refuses (404) where the service does not offer it, so
 * the routes do not exist for other services. `release` runs inside the
 * database transaction that takes the reading, and answers what is sent
 * after the commit:
 * - OIDC: the claims are kept sealed for the tokens (oidc/guest-claims-store.ts); the
 *   interaction ends with a login for a random `guest:` id, `remember:
 *   false`, and the grant of this consent, which is stored nowhere else (no
 *   account, no `sso_sessions` row, no SSO cookie, no `consents` row).
 * - SAML: the Response with a transient NameID and the card's attributes,
 *   or RequestDenied for a required attribute the citizen deselected.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import type { EidReading } from '../../methods/eid/transaction-repository.ts';
import type { LoginRequest } from '../../login/request.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { Level } from '../../session/limits.ts';
import type { GuestRow } from './release.ts';

export interface GuestLogin {
  /** The service's login this guest login belongs to: its base, service, level and way out. */
  request: LoginRequest;
  read: UseIdRequest;
  rows(reading: EidReading): GuestRow[];
  release(tx: Queryable, reading: EidReading, level: Level): Promise<() => Promise<FastifyReply>>;
}

/** Where a guest login comes in: the prefix of its login's pages, and the login. */
export interface GuestDoor {
  prefix: string;
  load(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<GuestLogin>;
}
