/**
 * HTTP-POST binding (SAML Bindings §3.5). Exports:
 * - `readSamlPostForm(body): SamlPostForm` — SAMLRequest or SAMLResponse and
 *   RelayState from a parsed form body, with this binding's own limits (the
 *   site-wide 4096-character field cap is too small for a signed request
 *   carrying a certificate); a repeated field is refused.
 * - `decodePostMessage(value): string` — strict base64, then strict UTF-8;
 *   raw DEFLATE in between when the bytes are not XML (see below).
 * - `encodePostMessage(xml): string` — base64 (no DEFLATE in this binding).
 * - `renderPostForm(form, texts): SafeHtml` — the page body that sends a
 *   message on to its recipient: a form posted by `/static/saml-post.js`
 *   (CSP allows no inline script), a button in `<noscript>` otherwise.
 * - `sendPostForm(reply, page, form, texts)` — that body in a page of its own,
 *   with the cache headers of §3.5.5.1. Not the site layout: its inlined
 *   styles (about 95 KB) made the page six times the size of the message
 *   it carries, and writing them was a tenth of a single sign-on's CPU
 *   (issue 16's profile). The page is submitted by script as soon as it
 *   loads; without JavaScript it shows the heading, the hint and the button,
 *   unstyled. Sent uncompressed (see there).
 * - `postLimits`, types `SamlPostForm`, `PostForm`, `PostFormTexts`.
 * Texts come from the caller, which owns the message catalogue (STYLE.md habit 5).
 */
import type { FastifyReply } from 'fastify';
import type { PageContext } from '../../web/layout.ts';
import { html } from '../../web/html.ts';
import { renderPostForm, type PostForm, type PostFormTexts } from '../../web/post-form.ts';
import { hasNonXmlChar } from '../../platform/xml/xml-char.ts';
import { sendUncompressed } from '../../platform/http/compression.ts';
import { decodeBase64Strict, decodeUtf8Strict } from './base64.ts';
import { SamlBindingError } from './errors.ts';
import { inflateCapped } from './inflate.ts';
import { redirectLimits } from './redirect.ts';

export const postLimits = {
  /**
   * Base64 characters: a signed AuthnRequest with a certificate in KeyInfo is 8–15 KB of base64; 60,000 leaves room
   * under the 64 KiB body limit.
   */
  maxMessageLength: 60_000,
  /** Bindings §3.4.3 says 80 bytes; some service stacks send more, and it is only echoed. */
  maxRelayStateLength: 512,
} as const;

export interface SamlPostForm {
  kind: 'SAMLRequest' | 'SAMLResponse';
  /** Base64 of the message XML, as posted. */
  message: string;
  relayState?: string;
}

export function readSamlPostForm(body: unknown): SamlPostForm {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new SamlBindingError('missing_message');
  const fields = body as Record<string, unknown>;
  const request = field(fields, 'SAMLRequest');
  const response = field(fields, 'SAMLResponse');
  if (request !== undefined && response !== undefined) throw new SamlBindingError('both_messages');
  const message = request ?? response;
  if (message === undefined || message === '') throw new SamlBindingError('missing_message');
  if (message.length > postLimits.maxMessageLength) throw new SamlBindingError('too_large');
  const relayState = field(fields, 'RelayState');
  if (relayState !== undefined && (relayState.length > postLimits.maxRelayStateLength || hasNonXmlChar(relayState)))
    throw new SamlBindingError('relay_state');
  return {
    kind: request !== undefined ? 'SAMLRequest' : 'SAMLResponse',
    message,
    ...(relayState !== undefined ? { relayState } : {}),
  };
}

/**
 * This binding carries the message without DEFLATE (§3.5.4), but
 * @node-saml/node-saml 5.1.0, the library behind the BundID integrations,
 * deflates AuthnRequests for HTTP-POST unless `skipRequestCompression` is
 * set (measured). Bytes that do not begin with `<` are therefore inflated,
 * with the same cap as the Redirect binding; what comes out meets the same
 * strict parse either way.
 */
export function decodePostMessage(value: string): string {
  const bytes = decodeBase64Strict(value, Math.ceil((postLimits.maxMessageLength * 3) / 4));
  const text = /^(?:\xEF\xBB\xBF)?[ \t\r\n]*</.test(bytes.subarray(0, 64).toString('latin1'))
    ? bytes
    : inflateCapped(bytes, redirectLimits.maxInflatedBytes);
  return decodeUtf8Strict(text);
}

export function encodePostMessage(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export { renderPostForm, type PostForm, type PostFormTexts } from '../../web/post-form.ts';

export function sendPostForm(
  reply: FastifyReply,
  page: PageContext,
  form: PostForm,
  texts: PostFormTexts,
): FastifyReply {
  const document = html`<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${texts.title} – ${page.t('app.name')}${page.site ? ` ${page.site.name}` : ''}</title>
</head>
<body>
<main id="main">
${renderPostForm(form, texts)}
</main>
</body>
</html>`;
  // Nearly all of the page is the base64 of a signed message, mostly ciphertext: brotli saves about a quarter of
  // its bytes and cost 0.1–0.8 ms of CPU per page, as much as a tenth of a single sign-on (issue 16's profile). The
  // browser posts it on at once, so the bytes matter less than the CPU.
  sendUncompressed(reply);
  // Bindings §3.5.5.1: the page carrying the message must not be cached.
  return reply
    .header('pragma', 'no-cache')
    .header('cache-control', 'no-store')
    .header('content-type', 'text/html; charset=utf-8')
    .send(document.value);
}

function field(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  // A repeated field arrives as an array: never ambiguous input (which value counts?).
  if (typeof value !== 'string') throw new SamlBindingError('duplicate_parameter', name);
  return value;
}
