import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../platform/db/database.ts';
import { seenIdRepository } from './seen-id-repository.ts';

/**
 * Checks every inbound SAML message shares (AuthnRequest, LogoutRequest,
 * LogoutResponse): its age, and that it is seen once.
 */

/**
 * Requests per address and minute. Checking one costs a schema validation
 * (about 90 ms of CPU), so a flood must stop early; a service's users
 * behind one NAT stay far below this.
 */
const requestsPerMinute = 120;

/** Counts one SAML message from this address; 429 once the minute's budget is spent. */
export function limitSamlRequests(app: AppContext, request: FastifyRequest): Promise<void> {
  return app.rateLimiter.hit(`saml:ip:${request.ip}`, requestsPerMinute, 60);
}

/** IssueInstant may be this old (the message's life), or this far ahead (clock skew), saml-profiles §4.1.4.1. */
const maxAgeSeconds = 5 * 60;
const skewSeconds = 60;

export function issuedRecently(issueInstant: Date, now: Date): boolean {
  const issued = issueInstant.getTime();
  return issued >= now.getTime() - (maxAgeSeconds + skewSeconds) * 1000 && issued <= now.getTime() + skewSeconds * 1000;
}

/** A message id to record as seen for its service, until when (twice the acceptance window). */
export interface SeenMessage {
  serviceId: string;
  messageId: string;
  expiresAt: Date;
}

export function seenMessage(serviceId: string, messageId: string, now: Date): SeenMessage {
  return { serviceId, messageId, expiresAt: new Date(now.getTime() + 2 * (maxAgeSeconds + skewSeconds) * 1000) };
}

/**
 * Records a message id for its service; false when it was seen before
 * (replay). Shared by every instance.
 */
export async function firstSeen(db: Queryable, serviceId: string, messageId: string, now: Date): Promise<boolean> {
  const seen = seenMessage(serviceId, messageId, now);
  return seenIdRepository(db).add(seen.serviceId, seen.messageId, seen.expiresAt);
}

/** The raw query string: a Redirect signature covers the octets as sent, so nothing may re-encode them. */
export function rawQuery(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}
