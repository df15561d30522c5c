import { assetUrl } from '../../web/assets/catalogue.ts';
import { cancelControl } from '../../login/cancel.ts';
import type { LoginRequest } from '../../login/request.ts';
import { csrfField, errorSummary, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/** Where the passkey's form posts and what it carries: a login's base, and the stand-alone login's way back. */
export interface PasskeyTarget {
  base: string;
  /** The stand-alone login's `return` (a service's login knows its own way back). */
  returnTo: string | undefined;
}

// Built on use: the asset catalogue reads the files (and hashes them) when first asked.
const scripts = () => html`<script src="${assetUrl('simplewebauthn.js')}"></script>
<script src="${assetUrl('passkey-login.js')}"></script>`;

/**
 * The passkey's form: the script fetches a challenge, runs the ceremony and posts the result. Its button stays hidden
 * until the script shows it. `autofill`: the browser may also offer the passkey in the username field's suggestions
 * (WebAuthn conditional mediation), as soon as the page is open.
 */
function passkeyForm(p: PageContext, to: PasskeyTarget, o: { autofill: boolean; primary: boolean }): SafeHtml {
  return html`<form method="post" action="${to.base}/passkey" class="form-stack" data-passkey-login data-options="${to.base}/passkey/options" data-waiting="${p.t('webauthn.waiting')}" data-failed="${p.t('webauthn.failed')}"${o.autofill ? html` data-autofill` : ''} novalidate>
${csrfField(p.csrfToken)}
<input type="hidden" name="response" value="">
${to.returnTo ? html`<input type="hidden" name="return" value="${to.returnTo}">` : ''}
<button class="kern-btn kern-btn--${o.primary ? 'primary' : 'secondary'}" type="button" data-passkey-start hidden><span class="kern-label">${p.t('passkey.title')}</span></button>
<p class="kern-body" data-passkey-status role="status" aria-live="polite">${o.primary ? html`<noscript>${p.t('webauthn.unsupported')}</noscript>` : ''}</p>
</form>`;
}

/**
 * Below the password form: the passkey as the other way in, shown only where the browser can use one (the script
 * un-hides it); without a script the page is the password page as before.
 */
export function passwordPageAddOn(p: PageContext, to: PasskeyTarget): SafeHtml {
  return html`<section aria-labelledby="passkey-or" data-passkey-section hidden>
<h2 class="kern-heading-small" id="passkey-or">${p.t('passkey.orHeading')}</h2>
<p class="kern-body">${p.t('passkey.orIntro')}</p>
${passkeyForm(p, to, { autofill: true, primary: false })}
</section>
${scripts()}`;
}

/** The passkey's own page, from the method choice (and after a failed try). */
export function passkeyPage(
  p: PageContext,
  login: LoginRequest,
  o: { passwordOffered: boolean; errors?: FieldError[] },
): SafeHtml {
  const service = login.service?.displayName;
  const to = { base: login.base, returnTo: login.cancel.kind === 'form' ? undefined : login.returnTo };
  return html`<h1 class="kern-heading-large">${service ? p.t('login.forService', { service }) : p.t('login.title')}</h1>
${errorSummary(p.t, o.errors ?? [])}
<h2 class="kern-heading-medium" id="passkey">${p.t('passkey.title')}</h2>
<p class="kern-body">${p.t('passkey.hint')}</p>
${passkeyForm(p, to, { autofill: false, primary: true })}
<ul class="kern-list">
${o.passwordOffered ? html`<li><a class="kern-link" href="${login.base}/password">${p.t('passkey.withPassword')}</a></li>` : ''}
<li><a class="kern-link" href="${login.base}">${p.t('login.otherMethod')}</a></li>
</ul>
${login.cancel.kind === 'form' ? cancelControl(p, login.cancel) : ''}
${scripts()}`;
}
