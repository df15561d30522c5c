/**
 * A fuzz target: one route (or one oidc-provider endpoint), the requests
 * for it, and what its answers may legitimately do to the accounts.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { caseOf, type CaseSpec } from './inputs.ts';
import { materialize, type FuzzCase, type Resolver, type Sent } from './request.ts';

export type { Sent };

export interface Target<T = unknown> {
  /** `METHOD /path`, as registered in Fastify, or the provider's path. */
  route: string;
  arbitrary: fc.Arbitrary<T>;
  session(value: T): string;
  request(value: T, r: Resolver): Promise<Sent>;
  /** Errors answer browsers as HTML pages (false for JSON and XML protocol endpoints). */
  pages: boolean;
  staticFiles?: boolean;
  /** An answer that legitimately made an account (registration) or removed one (deletion). */
  accounts?: {
    made?: (response: LightMyRequestResponse) => boolean;
    removed?: (response: LightMyRequestResponse) => boolean;
  };
}

/** A target whose requests are plain `caseOf` cases. */
export function pageTarget(
  spec: CaseSpec,
  options: Partial<Pick<Target, 'pages' | 'staticFiles' | 'accounts'>> = {},
): Target<FuzzCase> {
  return caseTarget(spec.route, caseOf(spec), options);
}

/**
 * A target from several case shapes of one route (e.g. one per kind of card reading, so its uid and ref belong
 * together).
 */
export function caseTarget(
  route: string,
  arbitrary: fc.Arbitrary<FuzzCase>,
  options: Partial<Pick<Target, 'pages' | 'staticFiles' | 'accounts'>> = {},
): Target<FuzzCase> {
  return {
    route,
    arbitrary,
    session: (c) => c.as,
    request: (c, r) => materialize(c, r),
    pages: options.pages ?? true,
    ...(options.staticFiles ? { staticFiles: true } : {}),
    ...(options.accounts ? { accounts: options.accounts } : {}),
  };
}

/** A target whose case is a plain one plus protocol data that replaces parts of it. */
export function protocolTarget<P>(
  route: string,
  base: fc.Arbitrary<FuzzCase>,
  protocol: fc.Arbitrary<P>,
  build: (sent: Sent, data: P, r: Resolver) => Promise<Sent>,
  options: Partial<Pick<Target, 'pages' | 'accounts'>> = {},
): Target<{ base: FuzzCase; data: P }> {
  return {
    route,
    arbitrary: fc.record({ base, data: protocol }),
    session: (v) => v.base.as,
    request: async (v, r) => build(await materialize(v.base, r), v.data, r),
    pages: options.pages ?? true,
    ...(options.accounts ? { accounts: options.accounts } : {}),
  };
}
