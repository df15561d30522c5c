import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { pruneCustomProperties, subsetCss } from './css-subset.ts';
import { usedKernClasses } from './used-classes.ts';

/**
 * Every file a page links, under a name that carries a hash of its content
 * (`app.3f2a1b9c0d.css`): browsers may keep such a file for a year without
 * asking again, and a new version is a new name (RFC 9111 § 5.2.2.1,
 * RFC 8246 `immutable`). Text files are compressed once, when first asked for,
 * and kept: static content costs no CPU per request.
 */
export interface Asset {
  /** The name without hash, as in the source tree (`app.css`). */
  name: string;
  hashedName: string;
  contentType: string;
  /** The content; undefined for a font, which is read from `file` when asked for (fontFile). */
  body: Buffer | undefined;
  file: string;
  /** Text formats are worth compressing; woff2 is compressed already. */
  compressible: boolean;
  /** sha256 of the content, hex: the ETag of the plain name. */
  hash: string;
}

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const ownStatic = root('../static/');
const kern = root('../../../node_modules/@kern-ux/native/dist/');
const webauthnBundle = root('../../../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js');

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** An asset read from `file`, or made in memory (`body` given; its `file` then only names it). */
function asset(name: string, file: string, body: Buffer = readFileSync(file)): Asset {
  const extension = extname(name);
  const hash = createHash('sha256').update(body).digest('hex');
  return {
    name,
    hashedName: `${name.slice(0, -extension.length)}.${hash.slice(0, 10)}${extension}`,
    contentType: contentTypes[extension] ?? 'application/octet-stream',
    body,
    file,
    compressible: extension !== '.woff2',
    hash,
  };
}

function buildCatalogue(): Map<string, Asset> {
  const assets: Asset[] = [];
  for (const file of readdirSync(ownStatic)) {
    if (contentTypes[extname(file)]) assets.push(asset(file, `${ownStatic}${file}`));
  }
  assets.push(asset('simplewebauthn.js', webauthnBundle));
  // The faces KERN's font stylesheet declares (ten of the package's thirty).
  for (const [, file] of readFileSync(`${kern}fonts/fira-sans.css`, 'utf8').matchAll(/fira-sans\/([\w-]+\.woff2)/g)) {
    if (file) assets.push(fontFile(asset(file, `${kern}fonts/fira-sans/${file}`)));
  }
  const byName = new Map<string, Asset>();
  for (const a of assets) {
    byName.set(a.name, a);
    byName.set(a.hashedName, a);
  }
  return byName;
}

let catalogue: Map<string, Asset> | undefined;

/** The page styles (pageStyles) under the catalogue's rules: hashed name, cached for a year, compressed once. */
export const pageStylesName = 'page.css';

/** The assets by plain and by hashed name, read from disk once per process. */
export function assets(): Map<string, Asset> {
  if (catalogue === undefined) {
    catalogue = buildCatalogue();
    // The page styles as a file too, which pages link once the browser has it (web/page-styles.ts). Added after the
    // rest: the styles name the fonts by their hashed URLs, read from the catalogue.
    const styles = asset(pageStylesName, pageStylesName, Buffer.from(pageStyles().css));
    catalogue.set(styles.name, styles).set(styles.hashedName, styles);
  }
  return catalogue;
}

/** The URL a page links for a file of the catalogue: `/static/<name>.<hash>.<ext>`. */
export function assetUrl(name: string): string {
  const found = assets().get(name);
  if (!found) throw new Error(`no static asset named ${name}`);
  return `/static/${found.hashedName}`;
}

/**
 * Fonts are 1.3 MB, most of the catalogue, woff2 is compressed already, and a browser keeps them a year under
 * their hashed name: they are read from disk when asked for rather than held by every idle server (issue 16 §4).
 */
function fontFile(a: Asset): Asset {
  return { ...a, body: undefined };
}

const compressed = new WeakMap<Asset, { br?: Buffer; gzip?: Buffer }>();

/** The asset's bytes in the given encoding: text compressed on first use and then kept, a font read from disk. */
export async function encodedBody(a: Asset, encoding: 'br' | 'gzip' | 'identity'): Promise<Buffer> {
  if (!a.body) return readFile(a.file);
  if (encoding === 'identity' || !a.compressible) return a.body;
  const cache = compressed.get(a) ?? {};
  compressed.set(a, cache);
  if (encoding === 'br') {
    cache.br ??= brotliCompressSync(a.body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: a.body.length,
      },
    });
    return cache.br;
  }
  cache.gzip ??= gzipSync(a.body, { level: constants.Z_BEST_COMPRESSION });
  return cache.gzip;
}

/**
 * The styles of every page: the Fira Sans faces (shown in the fallback font
 * until they arrive, `font-display: swap`), the KERN rules the pages use, and
 * the project's own. A browser's first page has them inline, later pages link
 * them (web/page-styles.ts). A linked stylesheet would block the first paint
 * for a second request; on a mobile line with half a second of latency per
 * request, that alone breaks the one-second first paint of issue 15 point 11.
 * Inlined, the styles arrive with the page (about 10 KB compressed) and stay
 * current with the source whenever the server starts.
 */
export function pageStyles(): { css: string; cspHash: string } {
  pageStylesCache ??= buildPageStyles();
  return pageStylesCache;
}

let pageStylesCache: { css: string; cspHash: string } | undefined;

function buildPageStyles(): { css: string; cspHash: string } {
  const fontFaces = readFileSync(`${kern}fonts/fira-sans.css`, 'utf8')
    .replace(/url\((["']?)\.\/fira-sans\/([\w-]+\.woff2)\1\)/g, (_m, _q, file: string) => `url(${assetUrl(file)})`)
    .replace(/@font-face\s*\{/g, '@font-face{font-display:swap;');
  const kernCss = subsetCss(readFileSync(`${kern}kern.min.css`, 'utf8'), usedKernClasses(root('../../')));
  const appCss = readFileSync(`${ownStatic}app.css`, 'utf8');
  const css = pruneCustomProperties(`${minifyWhitespace(fontFaces)}${kernCss}${minifyWhitespace(appCss)}`);
  if (/<\/style/i.test(css)) throw new Error('page styles must not close their <style> element');
  return { css, cspHash: `'sha256-${createHash('sha256').update(css).digest('base64')}'` };
}

/** Comments and runs of white space out; enough for the project's small hand-written files. */
function minifyWhitespace(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .trim();
}
