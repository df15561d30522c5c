import type { AppContext } from '../context.ts';
import type { SamlService } from '../services/service-repository.ts';
import type { SamlKey } from './crypto/keys.ts';

/** Our entityID: the metadata URL (saml-metadata §4.1, well-known location). */
export const entityIdOf = (publicUrl: string) => `${publicUrl}/saml/metadata`;

/**
 * The key a service's messages are signed with: ECDSA P-256 when it chose
 * ECDSA, else RSA-3072 (TR-03116-4). The time is read after the keyring is
 * ready: on a fresh installation the first keys are made on this call and
 * count from the moment they were made.
 */
export async function signingKeyFor(app: AppContext, service: SamlService): Promise<SamlKey> {
  const keys = await app.saml.keys();
  return keys.signingKey(service.config.signature === 'ecdsa-sha256' ? 'EC-P256' : 'RSA-3072', app.clock.now());
}

/** A PEM certificate as base64 DER, as metadata carries it. */
export function base64OfPem(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}
