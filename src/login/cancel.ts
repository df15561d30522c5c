import { button, csrfField } from '../web/components.ts';
import { html, type SafeHtml } from '../web/html.ts';
import type { PageContext } from '../web/layout.ts';
import type { LoginCancel } from './request.ts';

/** The way out of a login's page: a form back to the service (`…/abort`), or a link on the account's pages. */
export function cancelControl(p: PageContext, cancel: LoginCancel): SafeHtml {
  if (cancel.kind === 'link')
    return html`<p class="kern-body"><a class="kern-link" href="${cancel.href}">${p.t('form.cancel')}</a></p>`;
  return html`<form method="post" action="${cancel.action}" class="cancel-form">${csrfField(p.csrfToken)}${button(p.t('login.cancel'), 'tertiary')}</form>`;
}
