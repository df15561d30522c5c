import { input, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { webauthnForm } from './page.ts';

/** "Mein Konto": adding a security key or passkey, with a name of the citizen's choice. */
export function webauthnAddSection(p: PageContext, o: { errors: FieldError[] }): SafeHtml {
  const { t } = p;
  const fields = input({
    t,
    name: 'key_name',
    label: t('webauthn.name'),
    hint: t('webauthn.nameHint'),
    maxlength: 60,
    errors: o.errors,
  });
  return html`<h3 class="kern-heading-small" id="add-key">${t('webauthn.add')}</h3>
<p class="kern-body">${t('webauthn.addIntro')}</p>
${webauthnForm(p, { mode: 'register', action: '/account/webauthn', optionsUrl: '/account/webauthn/options', label: 'webauthn.add', fields, variant: 'secondary' })}`;
}
