/**
 * Exports `confirmsIdentity`, `hasPassword`, `reauthState` and
 * `identityField`: how a sensitive change on "Mein Konto" (password,
 * e-mail address, deletion, recovery codes, removing a means) is confirmed.
 *
 * An account with a password confirms with it, as always (OWASP ASVS 2.5).
 * An account registered with the eID may have no password at all; it
 * confirms with a fresh eID login instead: the current session began with
 * card and PIN no more than `eidReauthMinutes` ago. Card + PIN is the
 * stronger proof, and the time limit keeps an unattended browser from
 * being enough.
 */
import type { AppContext } from '../../context.ts';
import type { SsoSession } from '../../session/sso-session-repository.ts';
import type { FieldError } from '../../web/components.ts';
import { input } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/** How long an eID login stands in for the password. */
export const eidReauthMinutes = 15;

/** What the page needs to know to ask for the right confirmation. */
export interface ReauthState {
  hasPassword: boolean;
  /** The session began with the eID no more than `eidReauthMinutes` ago. */
  freshEid: boolean;
}

/** The error on the confirmation field when an account without a password has no fresh eID login. */
export const eidReauthNeeded = 'eidReauth.needed' as const;

export async function hasPassword(app: AppContext, accountId: string): Promise<boolean> {
  return (await app.passwords.hashFor(accountId)) !== undefined;
}

/** The session was begun with card and PIN within the last `eidReauthMinutes`. */
export function freshEid(app: AppContext, session: SsoSession): boolean {
  return (
    session.method === 'eid' && app.clock.now().getTime() - session.authTime.getTime() <= eidReauthMinutes * 60_000
  );
}

/**
 * Accounts with a password: the password (throttled, as `reauthenticate`
 * always was). Accounts without one: a fresh eID login, whatever was typed.
 */
export async function confirmsIdentity(
  app: AppContext,
  session: SsoSession,
  password: string | undefined,
): Promise<boolean> {
  if (await hasPassword(app, session.accountId))
    return app.methods.password.reauthenticate(session.accountId, password ?? '');
  return freshEid(app, session);
}

export async function reauthState(app: AppContext, session: SsoSession): Promise<ReauthState> {
  return { hasPassword: await hasPassword(app, session.accountId), freshEid: freshEid(app, session) };
}

/** The error for a failed confirmation: a wrong password, or an eID login too long ago. */
export function reauthError(state: Pick<ReauthState, 'hasPassword'>, field: string): FieldError {
  return {
    field,
    message: state.hasPassword ? 'account.password.wrong' : eidReauthNeeded,
    ...(state.hasPassword ? {} : { params: { minutes: eidReauthMinutes } }),
  };
}

/**
 * In a form: the current-password field, or, for an account without a
 * password, a note in its place (with the way to a fresh eID login when
 * the last one is too long ago). The note keeps the field's id, so the
 * error summary's link lands on it.
 */
export function identityField(
  p: PageContext,
  state: ReauthState,
  o: { name: string; id?: string; label: string; errors: readonly FieldError[] },
): SafeHtml {
  const { t } = p;
  if (state.hasPassword)
    return input({
      t,
      name: o.name,
      ...(o.id ? { id: o.id } : {}),
      label: o.label,
      type: 'password',
      autocomplete: 'current-password',
      maxlength: 256,
      errors: o.errors,
    });
  const id = o.id ?? o.name;
  const error = o.errors.find((e) => e.field === id);
  const minutes = { minutes: eidReauthMinutes };
  return html`<div class="kern-form-input" id="${id}" tabindex="-1">
${error ? html`<p class="kern-error" id="${id}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${t(error.message, error.params)}</span></p>` : ''}
${
  state.freshEid
    ? html`<p class="kern-body">${t('eidReauth.fresh', minutes)}</p>`
    : html`<p class="kern-body">${t('eidReauth.stale', minutes)}</p>
<p class="kern-body"><a class="kern-link" href="/login/eid">${t('eidReauth.link')}</a></p>`
}
</div>`;
}
