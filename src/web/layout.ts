import type { Language, Translate } from '../text/index.ts';
import { assetUrl, pageStyles, pageStylesName } from './assets/catalogue.ts';
import { html, trustedMarkup, type SafeHtml } from './html.ts';
import { sitePages } from '../site/pages.ts';
import type { SiteLook } from './site-look.ts';
import type { StyleDelivery } from './page-styles.ts';

export interface PageContext {
  lang: Language;
  t: Translate;
  /** Path and query of the current page, for the language switch. */
  path: string;
  loggedIn: boolean;
  csrfToken: string;
  /** The operator's name, logo, contact and colour; pages made without the app's configuration show none. */
  site?: SiteLook;
  /** Pages made without a request's cookies carry their styles inline. */
  styles?: StyleDelivery;
}

/**
 * KERN's Kopfzeile with the flag, as KERN's own markup has it (kern-kopfzeile.js, kern-ux.de "Kopfzeile"): an inline
 * SVG, which KERN's CSS sizes and outlines (`.kern-kopfzeile__flagge svg`), sized here by attributes since the
 * Content-Security-Policy allows no inline style. Inline, it costs no request before the first paint.
 */
function kopfzeile(ctx: PageContext): SafeHtml {
  const label = ctx.site ? ctx.t('site.kopfzeile', { name: ctx.site.name }) : ctx.t('kopfzeile');
  return html`<div class="kern-kopfzeile"><div class="kern-container"><div class="kern-kopfzeile__content"><span class="kern-kopfzeile__flagge" aria-hidden="true"><svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 16" width="100%" height="100%" focusable="false"><path fill="#000" d="M0 .5h24v5.333H0z"/><path fill="red" d="M0 5.833h24v5.333H0z"/><path fill="#FACA2C" d="M0 11.167h24V16.5H0z"/></svg></span><span class="kern-kopfzeile__label">${label}</span></div></div></div>`;
}

/** Links to the legal and help pages on every page (issue 15 §9), and who runs the site. */
function footer(ctx: PageContext): SafeHtml {
  const { t, site } = ctx;
  return html`<footer class="site-footer"><div class="kern-container">
<nav aria-label="${t('site.footerNav')}"><ul class="site-footer__links">${sitePages.map(
    (page) => html`<li><a class="kern-link" href="/${page.slug}">${t(page.title)}</a></li>`,
  )}</ul></nav>
${
  site
    ? html`<p class="kern-body kern-body--small">${t('site.operator', { name: site.name })}<br>${site.address.join(', ')}<br><a class="kern-link" href="mailto:${site.email}">${site.email}</a></p>`
    : ''
}
<p class="kern-body kern-body--small">${t('footer.text')}</p>
</div></footer>`;
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
<title>${title} – ${t('app.name')}${ctx.site ? ` ${ctx.site.name}` : ''}</title>
${
  ctx.styles === 'linked'
    ? html`<link rel="stylesheet" href="${assetUrl(pageStylesName)}">`
    : html`<style>${trustedMarkup(pageStyles().css)}</style>`
}
<link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml">
${ctx.site?.themeHref ? html`<link rel="stylesheet" href="${ctx.site.themeHref}">` : ''}
</head>
<body>
<a class="skip-link kern-link" href="#main">${t('nav.skip')}</a>
<header>
${kopfzeile(ctx)}
<div class="site-header">
<div class="kern-container site-header__inner">
<a class="site-brand kern-link" href="/">${ctx.site?.logoHref ? html`<img class="site-brand__logo" src="${ctx.site.logoHref}" alt="" height="40">` : ''}<span>${t('app.name')}</span>${ctx.site ? html`<span class="site-brand__operator">${ctx.site.name}</span>` : ''}</a>
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
${footer(ctx)}
${
  // A stylesheet for another medium does not hold up the page; browsers still fetch it, at the lowest priority, and
  // keep it: the next page links it (page-styles.ts). For print it repeats the rules above, which changes nothing.
  ctx.styles === 'inline' ? html`<link rel="stylesheet" href="${assetUrl(pageStylesName)}" media="print">` : ''
}
</body>
</html>`;
}
