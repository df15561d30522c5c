import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { cookieOptions } from '../platform/http/cookies.ts';
import { assets, pageStylesName } from './assets/catalogue.ts';

/** How a page brings the page styles: in its `<head>`, or as a link to the file the browser keeps. */
export type StyleDelivery = 'inline' | 'linked';

/** As long as the stylesheet itself is cached (static-assets.ts); a new version has a new hash. */
const oneYear = 365 * 24 * 3600;

/** The version of the page styles a browser names in its cookie: the hash in the stylesheet's file name. */
function currentVersion(): string {
  const file = assets().get(pageStylesName);
  if (!file) throw new Error('the page styles are missing from the static assets');
  return file.hash.slice(0, 10);
}

/**
 * A browser's first page carries the styles inline, so nothing delays its
 * first paint (issue 15 point 11), and fetches the stylesheet file at the
 * lowest priority into its cache (layout.ts); the cookie says it did. Later
 * pages link the cached file instead of bringing 95 KB again: a login that
 * shows two pages sends them once per browser, not twice per login (issue 16:
 * writing those bytes was the largest cost of a login outside the hash). A
 * browser whose cache was emptied without its cookies loads the file once,
 * as for any site. New styles change the version, and the next page is inline.
 * The cookie holds that version only, the same for every browser: nothing
 * that tells one browser from another.
 */
export function styleDelivery(app: AppContext, request: FastifyRequest, reply: FastifyReply): StyleDelivery {
  const version = currentVersion();
  if (request.cookies[app.cookies.styles] === version) return 'linked';
  reply.setCookie(app.cookies.styles, version, cookieOptions(app.config.production, oneYear));
  return 'inline';
}
