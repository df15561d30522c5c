/**
 * Findings of the fuzzing that wait for a decision (reported, not fixed
 * here). The full run (`npm run test:fuzz`) fails while any of them still
 * occurs; the smoke test in `npm test` counts them and reports them as
 * diagnostics instead, so that CI stays green until they are decided.
 * A finding that was fixed leaves this list, so that it cannot come back
 * unnoticed (fixed so far: NUL characters reaching PostgreSQL as text, Fastify's
 * router errors as JSON, the resume TypeError without a resume cookie; then
 * the resume TypeError with any resume cookie (oidc-resume-500), NUL inside
 * the provider's jsonb records (oidc-session-end-nul-500), the provider's
 * 404 text/plain (oidc-404-plain-text), and the simulated eID client's 502
 * and fetches beyond our own origin (eid-client-502,
 * eid-client-fetches-anywhere): oidc/fallback-pages.ts, oidc/mount.ts,
 * oidc/adapter.ts, platform/db/errors.ts, dev/eid-client/token.ts; and
 * oidc-provider's own English "Submitting Callback" page
 * (oidc-form-post-page): oidc/form-post-page.ts).
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Problem, SentRequest } from './check.ts';

export interface KnownFinding {
  id: string;
  summary: string;
  matches(route: string, problem: Problem, request: SentRequest, response: LightMyRequestResponse): boolean;
}

export const knownFindings: readonly KnownFinding[] = [];

export function knownFinding(
  route: string,
  problem: Problem,
  request: SentRequest,
  response: LightMyRequestResponse,
): KnownFinding | undefined {
  return knownFindings.find((k) => k.matches(route, problem, request, response));
}

/** The known findings of a run, with one example exchange each (`compact`: one line each, the request only). */
export function describeKnown(found: ReadonlyMap<string, { count: number; example: string }>, compact = false): string {
  return [...found]
    .map(([id, { count, example }]) =>
      compact
        ? `known finding ${id} (${count}×), e.g. ${example.split('\n')[0]?.slice(0, 200) ?? ''}`
        : `known finding ${id} (${count}×): ${knownFindings.find((k) => k.id === id)?.summary ?? ''}\n  e.g. ${example}`,
    )
    .join('\n');
}
