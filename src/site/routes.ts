import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { alert } from '../web/components.ts';
import { html, trustedMarkup, type SafeHtml } from '../web/html.ts';
import type { PageContext } from '../web/layout.ts';
import { pageContext, sendPage } from '../web/page.ts';
import { loadSiteContent, type SiteContent, type SitePageContent } from './content.ts';
import { siteMediaFiles, sitePages } from './pages.ts';
import { themeStylesheet } from './theme.ts';

/**
 * The sign-language video, served from SITE_DIR on our own origin: the Content-Security-Policy stays `'self'`, and no
 * video platform learns who watches (BITV 2.0 § 4 asks for the video; DSGVO asks that nobody else sees the visit).
 */
function videoSlot(p: PageContext, content: SiteContent, operator: string): SafeHtml {
  const sources = (['gebaerdensprache.webm', 'gebaerdensprache.mp4'] as const).filter((f) => content.media.has(f));
  const first = sources[0];
  if (first === undefined)
    return alert('info', p.t('site.video.missingTitle'), p.t('site.video.missing', { name: operator }));
  const captions = content.media.has('gebaerdensprache.vtt')
    ? html`<track kind="captions" src="/site/gebaerdensprache.vtt" srclang="de" label="${p.t('site.video.captions')}" default>`
    : '';
  return html`<figure class="site-video">
<video class="site-video__player" controls preload="metadata" aria-describedby="site-video-title">
${sources.map((f) => html`<source src="/site/${f}" type="video/${f.endsWith('.webm') ? 'webm' : 'mp4'}">`)}
${captions}
<p class="kern-body">${p.t('site.video.fallback')} <a class="kern-link" href="/site/${first}" download>${p.t('site.video.download')}</a></p>
</video>
<figcaption id="site-video-title" class="kern-body">${p.t('site.video.title')}</figcaption>
</figure>`;
}

/** A page in the reader's language, or in German with a note and `lang="de"` (WCAG 3.1.2) when it has no English. */
function pageBody(p: PageContext, title: string, page: SitePageContent, extra: SafeHtml | string): SafeHtml {
  const germanOnly = p.lang === 'en' && page.en === undefined;
  // Operator-trusted markup (site/content.ts refused scripts, styles and forms at start).
  const markup = trustedMarkup(p.lang === 'en' && page.en !== undefined ? page.en : page.de);
  return html`<h1 class="kern-heading-x-large">${title}</h1>
${germanOnly ? html`<p class="kern-body">${p.t('site.germanOnly')}</p>` : ''}
${extra}
<div class="site-page"${germanOnly ? trustedMarkup(' lang="de"') : ''}>
${markup}
</div>`;
}

/** Impressum, Datenschutz, Barrierefreiheit, help and the other operator pages, its logo, video and colour. */
export function sitePageRoutes(app: AppContext) {
  const content = loadSiteContent(app.config.site, app.config.publicUrl);
  const theme = themeStylesheet(app.config.site.primaryColor);
  return async function routes(fastify: FastifyInstance): Promise<void> {
    for (const { slug, title } of sitePages) {
      fastify.get(`/${slug}`, async (request, reply) => {
        const p = pageContext(app, request, reply);
        const extra = slug === 'gebaerdensprache' ? videoSlot(p, content, app.config.site.name) : '';
        return sendPage(reply, p, p.t(title), pageBody(p, p.t(title), content.pages[slug], extra));
      });
    }

    // The colour is part of the address (site-look.ts), so the file may be kept for a day.
    fastify.get('/site/theme.css', async (_request, reply) =>
      reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=86400')
        .send(theme),
    );

    // Only the named files of SITE_DIR; its pages and anything else there stay private.
    const allowed = new Set<string>(siteMediaFiles.map((name) => `/${name}`));
    await fastify.register(fastifyStatic, {
      root: content.mediaDir,
      prefix: '/site/',
      decorateReply: false,
      maxAge: 24 * 3600 * 1000,
      allowedPath: (path) => allowed.has(path),
    });
  };
}
