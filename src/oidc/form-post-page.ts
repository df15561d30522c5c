import { renderPostForm } from '../web/post-form.ts';
import { layout } from '../web/layout.ts';
import { plainPageContext } from '../web/page.ts';

/**
 * oidc-provider 9 writes its own auto-submitting page for a form post
 * (lib/response_modes/form_post.js): the end of a logout without a session
 * (GET /oidc/session/end), and authorization responses with
 * `response_mode=form_post`. That page is English, has no `lang`, and runs an
 * inline script. The library has no hook to replace it (registerResponseMode
 * keeps the first registration; end_session calls the helper directly), so
 * the fallback middleware (fallback-pages.ts) renders ours instead, from the
 * action and fields read back out of the library's fixed template. A page
 * that does not match the template exactly is left as it is; the test of this
 * page fails should a new oidc-provider change it.
 */
const marker = '<title>Submitting Callback</title>';
const formTag = /<form method="post" action="([^"]*)">/g;
const hiddenInput = /<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g;

/** Our page for the provider's form post page, or undefined when `body` is not that page. */
export function ourFormPostPage(body: string, acceptLanguage: string | undefined): string | undefined {
  if (!body.includes(marker)) return undefined;
  const forms = [...body.matchAll(formTag)];
  const action = forms[0]?.[1];
  if (forms.length !== 1 || action === undefined) return undefined;
  const fields: Record<string, string> = {};
  const inputs = [...body.matchAll(hiddenInput)];
  // Every input must be one the template writes, or a field would be lost: then the page stays as it is.
  if (inputs.length !== body.split('<input').length - 1) return undefined;
  for (const [, name, value] of inputs) {
    if (name === undefined || value === undefined) return undefined;
    fields[unescapeHtml(name)] = unescapeHtml(value);
  }
  const page = plainPageContext(acceptLanguage);
  const { t } = page;
  // The logout confirmation (end_session, or resume when another account's session is ended first) posts these two.
  const logout = Object.keys(fields).sort().join(' ') === 'logout xsrf';
  const texts = logout
    ? {
        title: t('oidc.logoutPost.title'),
        noscriptHint: t('oidc.logoutPost.noscript'),
        continueLabel: t('saml.post.continue'),
      }
    : { title: t('saml.post.title'), noscriptHint: t('saml.post.noscript'), continueLabel: t('saml.post.continue') };
  return layout(page, texts.title, renderPostForm({ action: unescapeHtml(action), fields }, texts)).value;
}

/** The inverse of oidc-provider's htmlSafe (lib/helpers/html_safe.js): `&amp;` last. */
export function unescapeHtml(value: string): string {
  return value
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&gt;', '>')
    .replaceAll('&lt;', '<')
    .replaceAll('&amp;', '&');
}
