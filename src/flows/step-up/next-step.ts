import type { AppContext } from '../../context.ts';
import type { Level } from '../../session/limits.ts';
import { identityLevel } from '../../session/required-level.ts';
import type { SsoSession } from '../../session/sso-session.ts';
import { enrolmentRules } from './enrolment.ts';
import { factorPath, usableFactors } from './factors.ts';

export type StepUpStep = { kind: 'page'; path: string } | { kind: 'unreachable'; reachable: number };

/**
 * What a session below the required level needs, for any protocol: a second
 * factor that reaches it (one page, or a choice), or setting up a software
 * token when there is none; `unreachable` when the identity data or the
 * means cannot get there (the caller tells its service in its own terms).
 */
export async function nextStepUp(app: AppContext, session: SsoSession, required: Level, base: string): Promise<StepUpStep> {
  const identity = identityLevel(await app.attributes.forAccount(session.accountId));
  // hoch is reached with the eID only (DESIGN.md §3): the card of an account verified at hoch.
  if (required >= 4 && app.eid && identity >= 4) return { kind: 'page', path: `${base}/eid` };
  if (identity < required) return { kind: 'unreachable', reachable: Math.min(identity, session.meansLevel) };
  const next = factorPath(base, await usableFactors(app, session.accountId, required));
  if (next) return { kind: 'page', path: next };
  const rules = await enrolmentRules(app, session, 'totp');
  if (rules.allowed && rules.level >= required && !(await app.methods.totp.hasConfirmed(app.db, session.accountId))) return { kind: 'page', path: `${base}/totp/setup` };
  return { kind: 'unreachable', reachable: Math.min(identity, Math.max(session.meansLevel, rules.allowed ? rules.level : 0)) };
}
