/**
 * Exports `signRedirectQuery(message, key, algorithm = 'rsa-sha256'): string`
 * — the query string (without `?`) for an outbound HTTP-Redirect message:
 * `SAMLRequest|SAMLResponse=…[&RelayState=…]&SigAlg=…&Signature=…`, signed
 * over exactly the octets that precede `&Signature` (SAML Bindings §3.4.4.1).
 * Also type `RedirectMessage`. The XML must not carry a ds:Signature itself.
 */
import { encodeRedirectMessage } from '../bindings/redirect.ts';
import { signatureMethods, signOctets, type QuerySignatureAlgorithm } from '../../platform/xml/algorithms.ts';
import type { SigningKey } from '../../platform/xml/signing-key.ts';

export interface RedirectMessage {
  kind: 'SAMLRequest' | 'SAMLResponse';
  xml: string;
  relayState?: string;
}

export function signRedirectQuery(
  message: RedirectMessage,
  key: SigningKey,
  algorithm: QuerySignatureAlgorithm = 'rsa-sha256',
): string {
  const parts = [`${message.kind}=${encodeURIComponent(encodeRedirectMessage(message.xml))}`];
  if (message.relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(message.relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(signatureMethods[algorithm])}`);
  const signedOctets = parts.join('&');
  const signature = signOctets(signedOctets, key.privateKeyPem, algorithm).toString('base64');
  return `${signedOctets}&Signature=${encodeURIComponent(signature)}`;
}
