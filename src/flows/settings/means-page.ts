import type { Account } from '../../identity/account-repository.ts';
import type { AuthenticationMethod } from '../../methods/method.ts';
import { alert, button, csrfField, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Means } from './means.ts';
import { identityField, type ReauthState } from './reauth.ts';

/** What the citizen may do with the means in this session. */
export interface MeansState {
  /** The session is at the account's maximum: means may be added, removed and blocked (TR-03160-1). */
  confirmed: boolean;
  /** The account has a second factor (otherwise there is nothing to confirm with). */
  hasSecondFactor: boolean;
  /** The citizen lets the password alone do for services that need only niedrig (issue 13, point 2a). */
  passwordEnoughForLow: boolean;
  /** The installation's methods, in registry order: each may bring its "add one" section. */
  methods: readonly AuthenticationMethod[];
  /** How removing a means or renewing recovery codes is confirmed: the password, or a fresh eID login. */
  reauth: ReauthState;
}

/**
 * A hidden username field, so password managers fill the right password (WCAG 3.3.8 friendly); none without a password.
 */
const usernameHint = (account: Account, state: MeansState) =>
  state.reauth.hasPassword
    ? html`<input type="text" name="username" value="${account.username}" autocomplete="username" hidden>`
    : '';

function meansCard(
  p: PageContext,
  o: { m: Means; account: Account; state: MeansState; errors: FieldError[]; date: (d: Date) => string },
): SafeHtml {
  const { t } = p;
  const { m, state, errors } = o;
  const title = m.name ?? m.detail ?? t(m.title);
  const secondFactor = m.factor === 'second';
  const live = m.blockedAt === null;
  const notes: SafeHtml[] = [
    html`<p class="kern-body">${t('means.since', { date: o.date(m.createdAt) })}. ${m.lastUsedAt ? t('means.lastUsed', { date: o.date(m.lastUsedAt) }) : t('means.neverUsed')}.</p>`,
  ];
  if (m.blockedAt)
    notes.push(
      html`<p class="kern-body"><span class="kern-badge kern-badge--danger">${t('means.blockedBadge', { date: o.date(m.blockedAt) })}</span></p>`,
    );
  else if (secondFactor && m.level < m.methodLevel) notes.push(html`<p class="kern-body">${t(m.lowLevelNote)}</p>`);
  if (m.name && m.detail) notes.push(html`<p class="kern-body">${m.detail}</p>`);
  const actions: SafeHtml[] = [];
  if (live && m.recoveryCodesLeft !== undefined) {
    actions.push(html`<p class="kern-body">${t('recovery.remaining', { count: m.recoveryCodesLeft })}</p>
<form method="post" action="/account/recovery-codes" class="form-stack" novalidate>${csrfField(p.csrfToken)}${usernameHint(o.account, state)}
${identityField(p, state.reauth, { name: 'renew_password', label: t('account.confirmPassword.renew'), errors })}
${button(t('recovery.renew'), 'secondary')}</form>`);
  }
  if (live && secondFactor) {
    actions.push(html`<form method="post" action="/account/means/rename" class="form-stack" novalidate>${csrfField(p.csrfToken)}<input type="hidden" name="means_id" value="${m.id}">
${input({ t, name: 'means_name', id: `means_name-${m.id}`, label: t('means.name'), value: m.name ?? '', maxlength: 60, errors })}
${button(t('means.rename'), 'secondary')}</form>`);
    if (state.confirmed) {
      actions.push(html`<form method="post" action="/account/means/remove" class="form-stack" novalidate>${csrfField(p.csrfToken)}<input type="hidden" name="means_id" value="${m.id}">${usernameHint(o.account, state)}
${identityField(p, state.reauth, { name: 'means_password', id: `means_password-${m.id}`, label: t('account.confirmPassword.remove', { means: title }), errors })}
${button(t('means.remove'), 'secondary')}</form>
<form method="post" action="/account/means/block" class="block-form">${csrfField(p.csrfToken)}<input type="hidden" name="means_id" value="${m.id}">
<p class="kern-body">${t('means.blockIntro')}</p>${button(t('means.block'), 'tertiary')}</form>`);
    }
  }
  return html`<li class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h3 class="kern-title">${title}</h3>${m.name || m.detail ? html`<p class="kern-body kern-body--small">${t(m.title)}</p>` : ''}</div>
<div class="kern-card__body">${notes}</div>
${actions.length > 0 ? html`<div class="kern-card__footer stack">${actions}</div>` : ''}</div></li>`;
}

/** "Mein Konto" → Anmeldemittel: the list, then what may be added in this session. */
export function meansSection(
  p: PageContext,
  o: { account: Account; means: Means[]; state: MeansState; errors: FieldError[] },
): SafeHtml {
  const { t } = p;
  const { state, errors } = o;
  const date = (d: Date) =>
    new Intl.DateTimeFormat(p.lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(d);
  const confirmBox = state.confirmed
    ? ''
    : html`<div id="means-confirm">${alert('info', t('means.confirmTitle'), t('means.confirmIntro'))}
<p><a class="kern-btn kern-btn--primary" href="/account/confirm"><span class="kern-label">${t('means.confirm')}</span></a></p>
<p class="kern-body"><a class="kern-link" href="/means/lost">${t('means.lostLink')}</a></p></div>`;
  // Each method's way to add one (methods/<id>/account-page.ts), in registry order.
  const add = state.confirmed
    ? html`${state.methods.map((m) => m.addSection?.(p, { means: o.means, errors }) ?? html``)}`
    : '';
  return html`<section aria-labelledby="means-section" class="stack">
<h2 class="kern-heading-medium" id="means-section">${t('means.title')}</h2>
${confirmBox}
<ul class="method-list">${o.means.map((m) => meansCard(p, { m, account: o.account, state, errors, date }))}</ul>
${state.hasSecondFactor ? secondFactorLoginForm(p, state) : ''}
${add}
</section>`;
}

/**
 * Whether logins to services that need only niedrig ask for the second
 * factor (the default) or take the password alone, with the warning
 * (issue 13, point 2a). Services that need more always ask.
 */
function secondFactorLoginForm(p: PageContext, state: MeansState): SafeHtml {
  const { t } = p;
  const option = (value: 'no' | 'yes', label: string) =>
    html`<div class="kern-form-check"><input class="kern-form-check__radio" type="radio" name="password_enough" id="password_enough-${value}" value="${value}"${(value === 'yes') === state.passwordEnoughForLow ? html` checked` : ''}><label class="kern-label" for="password_enough-${value}">${label}</label></div>`;
  return html`<h3 class="kern-heading-small" id="second-factor-login">${t('account.secondFactorLogin.title')}</h3>
<form method="post" action="/account/second-factor-login" class="form-stack" novalidate>${csrfField(p.csrfToken)}
<fieldset class="kern-fieldset" aria-describedby="second-factor-login-warning"><legend class="kern-label">${t('account.secondFactorLogin.legend')}</legend>
<div class="kern-fieldset__body">${option('no', t('account.secondFactorLogin.always'))}${option('yes', t('account.secondFactorLogin.notForLow'))}</div></fieldset>
<div id="second-factor-login-warning">${alert('warning', t('account.secondFactorLogin.warningTitle'), t('account.secondFactorLogin.warning'))}</div>
<div class="actions">${button(t('form.save'), 'secondary')}</div></form>`;
}
