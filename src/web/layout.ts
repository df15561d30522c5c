import type { Language, Translate } from '../text/index.ts';
import { assetUrl, pageStyles } from './assets/catalogue.ts';
import { html, trustedMarkup, type SafeHtml } from './html.ts';

export interface PageContext {
  lang: Language;
  t: Translate;
  /** Path and query of the current page, for the language switch. */
  path: string;
  loggedIn: boolean;
  csrfToken: string;
}

/**
 * The page frame: KERN UX styles, a skip link (WCAG 2.4.1), one h1 per page,
 * landmarks, the language switch (WCAG 3.1.1/3.1.2) and no script.
 */
export function layout(ctx: PageContext, title: string, body: SafeHtml): SafeHtml {
  const { t } = ctx;
  const otherLang: Language = ctx.lang === 'de' ? 'en' : 'de';
  const switchHref = `/language?lang=${otherLang}&return=${encodeURIComponent(ctx.path)}`;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${t('app.name')}</title>
<style>${trustedMarkup(pageStyles().css)}</style>
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
</head>
<body>
<a class="skip-link kern-link" href="#main">${t('nav.skip')}</a>
<header>
<div class="kern-kopfzeile"><div class="kern-container"><div class="kern-kopfzeile__content"><span class="kern-kopfzeile__flagge" aria-hidden="true"></span><span class="kern-kopfzeile__label">${t('kopfzeile')}</span></div></div></div>
<div class="site-header">
<div class="kern-container site-header__inner">
<a class="site-brand kern-link" href="/">${t('app.name')}</a>
<nav aria-label="${t('nav.main')}">
<ul class="site-nav">
${
  ctx.loggedIn
    ? html`<li><a class="kern-link" href="/account">${t('nav.account')}</a></li>
<li><form method="post" action="/logout"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><button class="kern-btn kern-btn--tertiary kern-btn--x-small" type="submit"><span class="kern-label">${t('nav.logout')}</span></button></form></li>`
    : html`<li><a class="kern-link" href="/login">${t('nav.login')}</a></li>
<li><a class="kern-link" href="/register">${t('nav.register')}</a></li>`
}
<li><a class="kern-link" href="${switchHref}" lang="${otherLang}" hreflang="${otherLang}">${t('nav.language')}</a></li>
</ul>
</nav>
</div>
</div>
</header>
<main id="main" class="kern-container site-main" tabindex="-1">
${body}
</main>
<footer class="site-footer"><div class="kern-container"><p class="kern-body kern-body--small">${t('footer.text')}</p></div></footer>
</body>
</html>`;
}
