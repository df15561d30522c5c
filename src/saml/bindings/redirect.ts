/**
 * HTTP-Redirect binding (SAML Bindings §3.4). Exports:
 * - `readRedirectQuery(rawQuery): RedirectQuery` — the parameters from the
 *   raw query string exactly as received (everything after `?`), and the
 *   octets a query signature covers, cut from it unchanged (§3.4.4.1).
 * - `decodeRedirectMessage(value, maxBytes?): string` — base64, then raw
 *   DEFLATE with an output cap, then strict UTF-8: the message XML.
 * - `encodeRedirectMessage(xml): string` — raw DEFLATE, then base64 (not yet
 *   URL-encoded).
 * - `redirectLimits`, `deflateEncoding`, type `RedirectQuery`.
 *
 * A message that arrives this way must carry no ds:Signature of its own
 * (§3.4.4.1); callers check that with `isSigned` after decoding.
 */
import { deflateRawSync } from 'node:zlib';
import { hasNonXmlChar } from '../../platform/xml/xml-char.ts';
import { decodeBase64Strict, decodeUtf8Strict } from './base64.ts';
import { SamlBindingError } from './errors.ts';
import { inflateCapped } from './inflate.ts';

export const redirectLimits = {
  /** The base64 value as received; browsers and Node cap a request line near 16 KiB anyway. */
  maxMessageLength: 12 * 1024,
  /** Inflated XML: a deflate bomb stops here. */
  maxInflatedBytes: 64 * 1024,
  /** Bindings §3.4.3 allows 80 bytes; some service stacks send more, and it is only echoed. */
  maxRelayStateLength: 512,
  maxSignatureLength: 2048,
  maxSigAlgLength: 256,
} as const;

/** The only SAMLEncoding defined (§3.4.4.1); it is also the default. */
export const deflateEncoding = 'urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE';

export interface RedirectQuery {
  kind: 'SAMLRequest' | 'SAMLResponse';
  /** The message parameter, URL-decoded: base64 of the deflated XML. */
  message: string;
  relayState?: string;
  sigAlg?: string;
  /** Base64 signature value, URL-decoded. */
  signature?: string;
  /** `SAMLRequest=…[&RelayState=…]&SigAlg=…` exactly as in the URL; set when the query is signed. */
  signedOctets?: string;
}

const known = ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature', 'SAMLEncoding'] as const;
type Known = (typeof known)[number];

export function readRedirectQuery(rawQuery: string): RedirectQuery {
  const raw = rawParameters(rawQuery);
  const request = raw.get('SAMLRequest');
  const response = raw.get('SAMLResponse');
  if (request !== undefined && response !== undefined) throw new SamlBindingError('both_messages');
  const kind = request !== undefined ? 'SAMLRequest' : 'SAMLResponse';
  const rawMessage = request ?? response;
  if (rawMessage === undefined) throw new SamlBindingError('missing_message');
  if (rawMessage.length > redirectLimits.maxMessageLength * 3) throw new SamlBindingError('too_large');

  const message = urlDecode(rawMessage, 'base64');
  if (message.length > redirectLimits.maxMessageLength) throw new SamlBindingError('too_large');
  const encoding = optional(raw, 'SAMLEncoding', 'text', 256);
  if (encoding !== undefined && encoding !== deflateEncoding) throw new SamlBindingError('unsupported_encoding');
  const relayState = optional(raw, 'RelayState', 'text', redirectLimits.maxRelayStateLength);
  if (relayState !== undefined && hasNonXmlChar(relayState)) throw new SamlBindingError('relay_state');
  const sigAlg = optional(raw, 'SigAlg', 'text', redirectLimits.maxSigAlgLength);
  const signature = optional(raw, 'Signature', 'base64', redirectLimits.maxSignatureLength);
  if ((sigAlg === undefined) !== (signature === undefined)) throw new SamlBindingError('signature_parameters');

  const result: RedirectQuery = { kind, message };
  if (relayState !== undefined) result.relayState = relayState;
  if (sigAlg !== undefined && signature !== undefined) {
    result.sigAlg = sigAlg;
    result.signature = signature;
    // The order is fixed by §3.4.4.1, whatever the order in the URL; the values stay as received.
    const relay = raw.get('RelayState');
    result.signedOctets = `${kind}=${rawMessage}${relay !== undefined ? `&RelayState=${relay}` : ''}&SigAlg=${raw.get('SigAlg') ?? ''}`;
  }
  return result;
}

export function decodeRedirectMessage(value: string, maxBytes: number = redirectLimits.maxInflatedBytes): string {
  return decodeUtf8Strict(inflateCapped(decodeBase64Strict(value, maxBytes), maxBytes));
}

export function encodeRedirectMessage(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

/** Raw (still URL-encoded) values by decoded name; a SAML parameter given twice is refused. */
function rawParameters(rawQuery: string): Map<Known, string> {
  const values = new Map<Known, string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = urlDecode(equals === -1 ? part : part.slice(0, equals), 'text');
    if (!(known as readonly string[]).includes(name)) continue;
    if (values.has(name as Known)) throw new SamlBindingError('duplicate_parameter', name);
    values.set(name as Known, equals === -1 ? '' : part.slice(equals + 1));
  }
  return values;
}

function optional(
  raw: Map<Known, string>,
  name: Known,
  kind: 'text' | 'base64',
  maxLength: number,
): string | undefined {
  const value = raw.get(name);
  if (value === undefined) return undefined;
  if (value.length > maxLength * 3)
    throw new SamlBindingError(name === 'RelayState' ? 'relay_state' : 'too_large', name);
  const decoded = urlDecode(value, kind);
  if (decoded.length > maxLength) throw new SamlBindingError(name === 'RelayState' ? 'relay_state' : 'too_large', name);
  return decoded;
}

/**
 * application/x-www-form-urlencoded decoding. In base64 values a literal `+`
 * can only be base64's `+` (a space is not base64), so it is kept; senders
 * differ in whether they encode it.
 */
function urlDecode(value: string, kind: 'text' | 'base64'): string {
  try {
    return decodeURIComponent(kind === 'text' ? value.replace(/\+/g, ' ') : value);
  } catch {
    throw new SamlBindingError('encoding', 'percent-encoding');
  }
}
