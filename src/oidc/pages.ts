import type { KoaContextWithOIDC } from 'oidc-provider';
import { negotiateLanguage, translator, type Language } from '../text/index.ts';
import { languageOfUiLocales } from './ui-locales.ts';
import { securityHeaders } from '../platform/http/security-headers.ts';
import { html, trustedMarkup } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import type { SiteLook } from '../web/site-look.ts';
import { alert, button } from '../web/components.ts';
import { renderPostForm } from '../web/post-form.ts';
import { unescapeHtml } from './form-post-page.ts';
import { logoutIntentCookie } from '../session/logout-intent.ts';

/** Pages oidc-provider renders itself (logout, its errors), in our layout and language. */
export interface OidcPages {
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error): Promise<void>;
}

export function createOidcPages(langCookie: string, site?: SiteLook): OidcPages {
  const page = (ctx: KoaContextWithOIDC) => {
    // ui_locales of the request at hand (authorization, end_session) when the citizen chose no language.
    const lang: Language = negotiateLanguage(
      ctx.cookies.get(langCookie),
      ctx.get('accept-language'),
      languageOfUiLocales(ctx.oidc?.params?.ui_locales),
    );
    const t = translator(lang);
    ctx.set(securityHeaders);
    ctx.type = 'html';
    return { lang, t, path: ctx.originalUrl.slice(0, 500), loggedIn: false, csrfToken: '', site };
  };

  return {
    async logoutSource(ctx, form) {
      const p = page(ctx);
      const client = ctx.oidc.client;
      // Asked for with our own header button: go on without a second question (session/logout-intent.ts).
      const confirmed = !client && ctx.cookies.get(logoutIntentCookie) === '1' ? confirmedLogout(form) : undefined;
      if (confirmed) {
        const texts = {
          title: p.t('oidc.logoutPost.title'),
          noscriptHint: p.t('oidc.logoutPost.noscript'),
          continueLabel: p.t('saml.post.continue'),
        };
        ctx.body = layout(p, texts.title, renderPostForm(confirmed, texts)).value;
        return;
      }
      const body = html`<h1 class="kern-heading-large">${p.t('logout.title')}</h1>
<p class="kern-body">${client ? p.t('logout.fromService', { service: client.clientName ?? client.clientId }) : p.t('logout.question')}</p>
${trustedMarkup(form)}
<div class="actions">
${button(p.t('logout.confirm'), 'primary', html`form="op.logoutForm" name="logout" value="yes"`)}
${button(p.t('logout.stay'), 'secondary', html`form="op.logoutForm"`)}
</div>`;
      ctx.body = layout(p, p.t('logout.title'), body).value;
    },
    async postLogoutSuccessSource(ctx) {
      // Every logout ends on the same page, whichever way it went (issue 15 point 10).
      ctx.status = 303;
      ctx.redirect('/logout/done');
    },
    async renderError(ctx, out) {
      const p = page(ctx);
      // invalid_request and friends: the service's request was malformed (OIDC Core §3.1.2.6).
      const detail = out.error_description ?? out.error;
      const expired = out.error === 'invalid_request' && /interaction|session/i.test(detail);
      const body = html`<h1 class="kern-heading-large">${p.t('error.title')}</h1>
${alert('danger', expired ? p.t('error.interactionExpired') : p.t('error.oidc'))}
${expired ? '' : html`<p class="kern-body">${p.t('error.technicalDetail')}</p><p class="kern-body" lang="en">${detail}</p>`}
<p class="kern-body">${p.t('error.code')}: <code>${out.error}</code></p>
<p class="kern-body"><a class="kern-link" href="/">${p.t('error.toHome')}</a></p>`;
      ctx.body = layout(p, p.t('error.title'), body).value;
    },
  };
}

/**
 * oidc-provider's logout form (lib/actions/end_session.js writes one form
 * with its xsrf field) as a form that confirms the logout; undefined when
 * the form is not that shape, and then the page asks as usual.
 */
function confirmedLogout(form: string): { action: string; fields: Record<string, string> } | undefined {
  const match =
    /^<form id="op\.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"\/><\/form>$/.exec(
      form,
    );
  if (!match?.[1] || !match[2]) return undefined;
  return { action: unescapeHtml(match[1]), fields: { xsrf: unescapeHtml(match[2]), logout: 'yes' } };
}
