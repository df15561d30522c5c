import type { AppContext } from '../context.ts';
import { usedSecondFactor, type SecondFactorKind } from '../methods/second-factors.ts';
import { secondFactorWish, type SecondFactorWish } from '../methods/means-repository.ts';
import type { Level } from '../session/limits.ts';
import { identityLevel } from '../session/required-level.ts';
import type { SsoSession } from '../session/sso-session-repository.ts';
import { enrolmentRules } from './enrolment-rules.ts';
import { factorPath, factorsReaching, usableFactors } from './factors.ts';

export type StepUpStep = { kind: 'page'; path: string } | { kind: 'unreachable'; reachable: number };

/**
 * What a session below the required level needs, for any protocol: a second
 * factor that reaches it (one page, or a choice), or setting up the method
 * the registry marks `stepUpSetup` (the software token) when there is none; `unreachable` when the identity data or the
 * means cannot get there (the caller tells its service in its own terms).
 */
export async function nextStepUp(
  app: AppContext,
  session: SsoSession,
  required: Level,
  base: string,
): Promise<StepUpStep> {
  const identity = identityLevel(await app.attributes.forAccount(session.accountId));
  // A first factor that reaches the level on its own: hoch is reached with the eID only (DESIGN.md §3),
  // the card of an account verified at hoch.
  const strong =
    required >= 4 && identity >= 4
      ? app.methods.list.find((m) => m.factor === 'first' && m.available && m.level >= required)
      : undefined;
  if (strong) return { kind: 'page', path: `${base}/${strong.id}` };
  if (identity < required) return { kind: 'unreachable', reachable: Math.min(identity, session.meansLevel) };
  const next = factorPath(base, await usableFactors(app, session.accountId, required));
  if (next) return { kind: 'page', path: next };
  const setUp = app.methods.list.find((m) => m.stepUpSetup === true && m.available);
  const kind = setUp?.kinds[0] as SecondFactorKind | undefined;
  if (!setUp || !kind) return { kind: 'unreachable', reachable: Math.min(identity, session.meansLevel) };
  const rules = await enrolmentRules(app, session, kind);
  if (rules.allowed && rules.level >= required && !(await setUp.hasConfirmed?.(app.db, session.accountId)))
    return { kind: 'page', path: `${base}/${setUp.id}/setup` };
  return {
    kind: 'unreachable',
    reachable: Math.min(identity, Math.max(session.meansLevel, rules.allowed ? rules.level : 0)),
  };
}

export type LoginStep = { kind: 'done' } | StepUpStep;

/** Reads the account's wish for the registry's second-factor kinds (means-repository.ts `secondFactorWish`). */
export type WishReader = () => Promise<SecondFactorWish | undefined>;

/**
 * After any login step, at every front door (OIDC, SAML): done when the
 * session reaches the level the service needs and, on an account with a
 * second factor, used it (issue 13, point 2, like Keycloak's conditional
 * OTP). The citizen may allow the password alone for services that need
 * only niedrig; such a session never reaches more than niedrig anyway, so
 * services asking for substanziell still get the step-up.
 *
 * `wishFrom`: where a login's transaction or a front door's read of the
 * account brought the second-factor wish along, it is not read again (issue 16).
 */
export async function loginStep(
  app: AppContext,
  session: SsoSession,
  required: Level,
  base: string,
  wishFrom?: { wish: SecondFactorWish | undefined } | WishReader,
): Promise<LoginStep> {
  if (session.level < required) return nextStepUp(app, session, required, base);
  if (usedSecondFactor(session)) return { kind: 'done' };
  // The citizen's choice and the second factors in one read (issue 16): as the session's start read them, or with
  // the front door's read of the account, or on their own.
  const wish =
    wishFrom === undefined
      ? await secondFactorWish(app.db, session.accountId, app.methods.kinds('second'))
      : typeof wishFrom === 'function'
        ? await wishFrom()
        : wishFrom.wish;
  if (!wish || wish.passwordEnough) return { kind: 'done' };
  const next = factorPath(base, factorsReaching(app, wish.levels, 1));
  return next ? { kind: 'page', path: next } : { kind: 'done' };
}
