import type { MessageId } from '../../text/index.ts';
import { alert, button, csrfField, errorSummary, input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/** The one-field request forms: forgotten password and forgotten username. */
export function requestPage(
  p: PageContext,
  o: { kind: 'password' | 'username'; sent?: boolean; value?: string; errors?: FieldError[]; eid?: boolean },
): SafeHtml {
  const { t } = p;
  const ids: Record<
    'password' | 'username',
    { title: MessageId; intro: MessageId; submit: MessageId; sent: MessageId; label: MessageId; action: string }
  > = {
    password: {
      title: 'forgotPassword.title',
      intro: 'forgotPassword.intro',
      submit: 'forgotPassword.submit',
      sent: 'forgotPassword.sent',
      label: 'login.username',
      action: '/forgot-password',
    },
    username: {
      title: 'forgotUsername.title',
      intro: 'forgotUsername.intro',
      submit: 'forgotUsername.submit',
      sent: 'forgotUsername.sent',
      label: 'register.email',
      action: '/forgot-username',
    },
  };
  const k = ids[o.kind];
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${t(k.title)}</h1>
${o.sent ? alert('success', t(k.sent)) : ''}
${errorSummary(t, errors)}
<p class="kern-body">${t(k.intro)}</p>
<form method="post" action="${k.action}" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
${input({ t, name: 'identifier', label: t(k.label), type: o.kind === 'username' ? 'email' : 'text', autocomplete: o.kind === 'username' ? 'email' : 'username', value: o.value ?? '', maxlength: 320, errors })}
<div class="actions">${button(t(k.submit))}</div>
</form>
${o.kind === 'password' && o.eid !== false ? eidRecoveryLink(p) : ''}
<p class="kern-body"><a class="kern-link" href="/login">${t('form.back')}</a></p>`;
}

/** The other way back into the account: the card, without waiting for a mail (TR-03160-1; flows/recovery/eid-*.ts). */
export function eidRecoveryLink(p: PageContext): SafeHtml {
  return html`<p class="kern-body">${p.t('recoverEid.linkIntro')}</p>
<p class="kern-body"><a class="kern-link" href="/recover/eid">${p.t('recoverEid.link')}</a></p>`;
}

export function resetPage(p: PageContext, o: { token: string; errors?: FieldError[] }): SafeHtml {
  const { t } = p;
  const errors = o.errors ?? [];
  return html`<h1 class="kern-heading-large">${t('reset.title')}</h1>
${errorSummary(t, errors)}
<form method="post" action="/reset-password" class="form-stack" novalidate>
${csrfField(p.csrfToken)}
<input type="hidden" name="token" value="${o.token}">
${input({ t, name: 'password', label: t('reset.password'), hint: t('register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
${input({ t, name: 'password2', label: t('register.passwordRepeat'), type: 'password', autocomplete: 'new-password', maxlength: 256, errors })}
<div class="actions">${button(t('reset.submit'))}</div>
</form>`;
}

export function resetDonePage(p: PageContext): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('reset.title')}</h1>
${alert('success', t('reset.done'))}
<p class="kern-body"><a class="kern-link" href="/login">${t('nav.login')}</a></p>`;
}
