import type { AppContext } from '../context.ts';
import type { SamlService } from '../services/services.ts';
import type { SamlKey } from './crypto/keys.ts';

/** Our entityID: the metadata URL (saml-metadata §4.1, well-known location). */
export const entityIdOf = (publicUrl: string) => `${publicUrl}/saml/metadata`;

/** The key a service's messages are signed with: ECDSA P-256 when it chose ECDSA, else RSA-3072 (TR-03116-4). */
export async function signingKeyFor(app: AppContext, service: SamlService, now: Date): Promise<SamlKey> {
  return (await app.saml.keys()).signingKey(service.config.signature === 'ecdsa-sha256' ? 'EC-P256' : 'RSA-3072', now);
}

/** A PEM certificate as base64 DER, as metadata carries it. */
export function base64OfPem(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}
