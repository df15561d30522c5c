/** The pages after a card was read that belongs to no account, or whose link the citizen blocked. */
import { cardDataList } from '../../../flows/registration/page.ts';
import { termsCheckbox } from '../../../flows/registration/terms.ts';
import { button, csrfField, input } from '../../../web/components.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { CardIdentity } from '../identity.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { EidState } from '../reading/scope.ts';

export function unknownCardPage(p: PageContext, s: EidState): SafeHtml {
  const returnTo = s.base === '/login' ? '' : `?return=${encodeURIComponent(s.base)}`;
  return html`<h1 class="kern-heading-large">${p.t('eid.unknownCard.title')}</h1>
<p class="kern-body">${p.t('eid.unknownCard.text')}</p>
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="/register/eid${returnTo}"><span class="kern-label">${p.t('eid.unknownCard.register')}</span></a></p>
<p class="kern-body"><a class="kern-link" href="${s.base}/password">${p.t('eid.unknownCard.password')}</a></p>
${s.cancel ? s.cancel(p) : ''}`;
}

export function blockedCardPage(p: PageContext, s: EidState): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('eid.blockedCard.title')}</h1>
<p class="kern-body">${p.t('eid.blockedCard.text')}</p>
<p class="kern-body"><a class="kern-link" href="${s.back.href}">${p.t(s.back.label)}</a></p>
${s.cancel ? s.cancel(p) : ''}`;
}

/**
 * An unknown card, read at hoch: the registration form with the data already read (issue 15, point 7), or the
 * password login for a citizen who has an account without the card.
 */
export function unknownCardRegistrationPage(
  p: PageContext,
  s: EidState,
  o: { card: CardIdentity; hidden: SafeHtml },
): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('eid.unknownCard.title')}</h1>
<p class="kern-body">${t('eid.unknownCard.offer')}</p>
<h2 class="kern-heading-medium" id="card-data">${t('eidAccount.register.dataTitle')}</h2>
<p class="kern-body">${t('eid.unknownCard.dataIntro')}</p>
${cardDataList(p, o.card)}
<h2 class="kern-heading-medium">${t('eidAccount.register.formTitle')}</h2>
<form method="post" action="/register/eid/complete" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${o.hidden}
${input({ t, name: 'email', label: t('register.email'), hint: t('eidAccount.register.emailHint'), type: 'email', autocomplete: 'email', maxlength: 254 })}
${input({ t, name: 'username', label: t('register.username'), hint: t('eidAccount.register.usernameHint'), autocomplete: 'username', maxlength: 64, required: false })}
${termsCheckbox(p, [], false)}
<div class="actions">${button(t('eidAccount.register.submit'))}</div>
</form>
<h2 class="kern-heading-medium">${t('eid.unknownCard.haveAccount')}</h2>
<p class="kern-body">${t('eid.unknownCard.haveAccountText')}</p>
<p class="kern-body"><a class="kern-link" href="${s.base}/password">${t('eid.unknownCard.password')}</a></p>
${s.cancel ? s.cancel(p) : ''}`;
}
