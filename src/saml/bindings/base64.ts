/**
 * Exports `decodeBase64Strict(value, maxBytes): Buffer` and
 * `decodeUtf8Strict(bytes): string`, shared by both bindings. Node's
 * `Buffer.from(…, 'base64')` silently skips characters it does not know, and
 * `toString('utf8')` replaces bad sequences; either would let two different
 * inputs decode to one message, so both are strict here (RFC 4648 §3.3).
 */
import { SamlBindingError } from './errors.ts';

// Line breaks are tolerated: some senders wrap base64 at 76 characters (RFC 2045 §6.8).
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(value: string, maxBytes: number): Buffer {
  const compact = value.replace(/\r?\n/g, '');
  if (compact.length > Math.ceil(maxBytes / 3) * 4) throw new SamlBindingError('too_large');
  if (compact.length === 0 || !base64.test(compact)) throw new SamlBindingError('base64');
  return Buffer.from(compact, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new SamlBindingError('encoding', 'not UTF-8');
  }
}
