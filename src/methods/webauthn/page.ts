import type { MessageId } from '../../text/index.ts';
import { assetUrl } from '../../web/assets/catalogue.ts';
import { csrfField, errorSummary, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/**
 * A WebAuthn form: the script fetches options, runs the ceremony and posts
 * the result. The start button stays hidden until the script shows it;
 * without a script the status line says why nothing happens.
 */
export function webauthnForm(
  p: PageContext,
  o: {
    mode: 'register' | 'authenticate';
    action: string;
    optionsUrl: string;
    label: MessageId;
    fields?: SafeHtml;
    errors?: FieldError[];
    /** Secondary on a page with other actions, such as "Anmeldung und Sicherheit" (one primary button per page). */
    variant?: 'primary' | 'secondary';
  },
): SafeHtml {
  return html`${errorSummary(p.t, o.errors ?? [])}
<form method="post" action="${o.action}" class="form-stack" data-webauthn="${o.mode}" data-options="${o.optionsUrl}" data-waiting="${p.t('webauthn.waiting')}" data-failed="${p.t('webauthn.failed')}" data-unsupported="${p.t('webauthn.unsupported')}" novalidate>
${csrfField(p.csrfToken)}
<input type="hidden" name="response" value="">
${o.fields ?? ''}
<button class="kern-btn kern-btn--${o.variant ?? 'primary'}" type="button" data-webauthn-start hidden><span class="kern-label">${p.t(o.label)}</span></button>
<p class="kern-body" data-webauthn-status role="status" aria-live="polite"><noscript>${p.t('webauthn.unsupported')}</noscript></p>
</form>
<script src="${assetUrl('simplewebauthn.js')}"></script>
<script src="${assetUrl('webauthn.js')}"></script>`;
}
