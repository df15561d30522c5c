/**
 * Exports the types `EidScope`, `EidState`, `EidScopeRequest`: where an eID
 * reading happens and what its success means (the pattern of
 * flows/step-up/scope.ts).
 *
 * The same hand-over, return and error pages serve every use of the card:
 * login (stand-alone, OIDC interaction, SAML), registration, linking and
 * refreshing on "Mein Konto", recovery and the guest login. Each use is a
 * scope: a URL prefix, what to read, and `finish` for the data read. The
 * RefreshAddress lives below the scope's prefix, so the flow's own cookies
 * (the OIDC interaction cookie is path-scoped) are there when it returns.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EidPurpose } from '../read-sets.ts';
import type { EidTransaction } from '../transaction-repository.ts';
import type { UseIdRequest } from '../soap/use-id.ts';
import type { MessageId } from '../../../text/index.ts';
import type { SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';

export type EidScopeRequest = FastifyRequest<{ Params: { uid?: string; ref?: string } }>;

export interface EidState {
  /** The concrete URL prefix (the hand-over page is `${base}/eid`). */
  base: string;
  purpose: EidPurpose;
  /** The service asking, inside a login. */
  serviceName?: string;
  /** The hand-over page's heading. */
  title: MessageId;
  /** What the eID-Server is asked for; `transactionInfo` is shown in the eID client. */
  request: UseIdRequest;
  /** Values the flow needs back after the reading (never personal data). */
  context?: Record<string, string>;
  /** The way back without reading (another login method, the account page). */
  back: { href: string; label: MessageId };
  /** Inside a service's login: cancelling goes back to the service. */
  cancel?: (p: PageContext) => SafeHtml;
  /** The card was read: the flow's next step. Runs at most once per reading. */
  finish(transaction: EidTransaction): Promise<FastifyReply>;
}

export interface EidScope {
  /** Fastify route prefix, e.g. `/interaction/:uid`. */
  prefix: string;
  load(request: EidScopeRequest, reply: FastifyReply): Promise<EidState>;
}
