import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/error.ts';
import type { SiteConfig } from '../config/site.ts';
import { escapeHtml } from '../web/html.ts';
import { siteMediaFiles, sitePages, type SitePageSlug } from './pages.ts';

/** The shipped examples: development defaults, and a start for the operator's own copies. */
export const examplePagesDir = fileURLToPath(new URL('./pages/', import.meta.url));

export interface SitePageContent {
  /** HTML fragment in German, and in English if the operator wrote one. */
  de: string;
  en: string | undefined;
  /** Read from SITE_DIR (true) or the shipped example (false). */
  fromOperator: boolean;
}

export interface SiteContent {
  pages: Readonly<Record<SitePageSlug, SitePageContent>>;
  /** Every `[[…]]` placeholder still in a page, with its file: a production start refuses them (readiness.ts). */
  placeholders: readonly { file: string; text: string }[];
  /** The folder /site/ serves from, and which of its media files exist. */
  mediaDir: string;
  media: ReadonlySet<(typeof siteMediaFiles)[number]>;
}

/**
 * Operator HTML is trusted (it is the operator's own site), but every page is served under a Content-Security-Policy
 * without inline scripts or styles: what it would block is refused at start instead of failing silently in the browser.
 * Forms are refused too: they would post without a CSRF token.
 */
const refused: readonly [RegExp, string][] = [
  [/<\s*(script|style|iframe|frame|object|embed|form|base|link|meta)\b/i, 'a <$1> element'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute (on…=)'],
  [/\sstyle\s*=/i, 'a style attribute'],
  [/javascript:/i, 'a javascript: link'],
  [/<\s*h1\b/i, 'an <h1> (the page title is the h1; start at <h2>)'],
];

const tokenPattern = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;
const placeholderPattern = /\[\[([^\]]{1,500})\]\]/g;

function fill(markup: string, file: string, site: SiteConfig, publicUrl: string): string {
  const values: Record<string, string> = {
    name: escapeHtml(site.name),
    address: site.address.map(escapeHtml).join('<br>'),
    email: escapeHtml(site.email),
    publicUrl: escapeHtml(publicUrl),
  };
  return markup.replace(tokenPattern, (_all, token: string) => {
    const value = values[token];
    if (value === undefined)
      throw new ConfigError('SITE_DIR', `${file}: unknown {{${token}}}; known are ${Object.keys(values).join(', ')}`);
    return value;
  });
}

function readPage(path: string, file: string, site: SiteConfig, publicUrl: string): string {
  const text = readFileSync(path, 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  for (const [pattern, what] of refused) {
    const match = pattern.exec(text);
    if (match)
      throw new ConfigError(
        'SITE_DIR',
        `${file} contains ${what.replace('$1', match[1] ?? '')}; pages are HTML fragments without scripts, styles or forms (Content-Security-Policy)`,
      );
  }
  return fill(text, file, site, publicUrl);
}

/** One page's files: the operator's where SITE_DIR has them, else the example. */
function loadPage(slug: SitePageSlug, site: SiteConfig, publicUrl: string): SitePageContent {
  const operatorFile = site.dir === undefined ? undefined : join(site.dir, `${slug}.html`);
  const fromOperator = operatorFile !== undefined && existsSync(operatorFile);
  const dir = fromOperator ? (site.dir as string) : examplePagesDir;
  const label = (name: string) => (fromOperator ? `SITE_DIR/${name}` : `example ${name}`);
  const enPath = join(dir, `${slug}.en.html`);
  return {
    de: readPage(join(dir, `${slug}.html`), label(`${slug}.html`), site, publicUrl),
    en: existsSync(enPath) ? readPage(enPath, label(`${slug}.en.html`), site, publicUrl) : undefined,
    fromOperator,
  };
}

/** Reads every page at start (they are small): a broken file stops the start with a message naming it. */
export function loadSiteContent(site: SiteConfig, publicUrl: string): SiteContent {
  if (site.dir !== undefined && !(existsSync(site.dir) && statSync(site.dir).isDirectory()))
    throw new ConfigError('SITE_DIR', `"${site.dir}" is not a folder`);
  const pages = Object.fromEntries(sitePages.map(({ slug }) => [slug, loadPage(slug, site, publicUrl)])) as Record<
    SitePageSlug,
    SitePageContent
  >;
  const placeholders = sitePages.flatMap(({ slug }) => {
    const page = pages[slug];
    const file = page.fromOperator ? `SITE_DIR/${slug}.html` : `${slug}.html (the shipped example)`;
    return [page.de, page.en ?? '']
      .flatMap((text) => [...text.matchAll(placeholderPattern)])
      .map((match) => ({ file, text: match[1] ?? '' }));
  });
  const mediaDir = site.dir ?? examplePagesDir;
  const media = new Set(siteMediaFiles.filter((name) => existsSync(join(mediaDir, name))));
  return { pages, placeholders, mediaDir, media };
}
