/** The operator's legal and help pages (issue 15 §9), its colour's stylesheet and its media files under /site/. */
import fc from 'fast-check';
import { either } from '../inputs.ts';
import { pageTarget, type Target } from '../target.ts';
import { hostile } from '../values.ts';
import { sitePages, siteMediaFiles } from '../../../src/site/pages.ts';

const anonMostly = { anon: 3, user: 1 } as const;

export const sitePageTargets: Target<never>[] = [
  ...sitePages.map((page) => pageTarget({ route: `GET /${page.slug}`, sessions: anonMostly, query: { q: hostile } })),
  pageTarget({ route: 'GET /site/theme.css', sessions: { anon: 1 }, query: { v: hostile } }, { pages: false }),
  pageTarget(
    {
      route: 'GET /site/*',
      sessions: { anon: 1 },
      params: {
        '*': either(
          [3, fc.constantFrom(...siteMediaFiles)],
          fc.constantFrom('impressum.html', '..', '%2e%2e/package.json', 'theme.css', '.env', 'LOGO.SVG'),
          hostile,
        ),
      },
    },
    { staticFiles: true },
  ),
] as Target<never>[];
