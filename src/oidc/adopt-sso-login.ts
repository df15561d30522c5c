import type { Session } from 'oidc-provider';
import type { SsoSession } from '../session/sso-session-repository.ts';
import { acrByLevel } from './acr.ts';

/**
 * One truth for "how the citizen logged in" (DESIGN.md §5a): the provider's
 * session takes `acr`, `amr` and the login time from our SSO session. A
 * login outside the provider (the account area, SAML, a step-up) replaces
 * our session but not the provider's, whose facts would otherwise go into
 * the next ID token unchanged (OIDC Core §2: `acr`, `amr` and `auth_time`
 * describe the authentication that took place). Only changed values are
 * written, so an unchanged session is not saved again.
 */
export function adoptSsoLogin(session: Session, ours: SsoSession): void {
  const acr = acrByLevel[ours.level];
  const loginTs = Math.floor(ours.authTime.getTime() / 1000);
  if (session.acr !== acr) session.acr = acr;
  if (!sameValues(session.amr, ours.amr)) session.amr = [...ours.amr];
  if (session.loginTs !== loginTs) session.loginTs = loginTs;
}

const sameValues = (a: readonly string[] | undefined, b: readonly string[]) =>
  a?.length === b.length && a.every((value, i) => value === b[i]);
