import { assetUrl } from './assets/catalogue.ts';
import { html, type SafeHtml } from './html.ts';

/** Where the form goes and what it carries, e.g. `{ SAMLResponse, RelayState }`. */
export interface PostForm {
  action: string;
  fields: Readonly<Record<string, string>>;
}

export interface PostFormTexts {
  title: string;
  /** Label of the button shown without JavaScript. */
  continueLabel: string;
  /** Shown without JavaScript, above the button. */
  noscriptHint: string;
}

/**
 * The page body that sends a message on to its recipient (a SAML binding,
 * an OIDC form post): a form posted by `/static/saml-post.js` (CSP allows
 * no inline script), a button in `<noscript>` otherwise.
 */
export function renderPostForm(form: PostForm, texts: PostFormTexts): SafeHtml {
  return html`<h1 class="kern-heading-large">${texts.title}</h1>
<form method="post" action="${form.action}" data-saml-post>
${Object.entries(form.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<noscript>
<p class="kern-body">${texts.noscriptHint}</p>
<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${texts.continueLabel}</span></button>
</noscript>
</form>
<script src="${assetUrl('saml-post.js')}" defer></script>`;
}
