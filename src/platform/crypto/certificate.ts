/**
 * Exports:
 * - `generateKeyWithCertificate(alg, use, commonName, now): Promise<KeyWithCertificate>`
 *   — a new key pair and a self-signed X.509 certificate for it, both PEM.
 * - `certificateThumbprint(certificatePem): string` — SHA-256 of the DER, base64url.
 * - Types `KeyAlgorithm`, `KeyUse`, `KeyWithCertificate`.
 *
 * In SAML metadata a certificate is only a container for the public key: the
 * trust comes from the metadata, not from a CA (SAML V2.0 Metadata
 * Interoperability Profile §2.5.1), so self-signed is what peers expect.
 */
import { createHash, webcrypto, X509Certificate as NodeCertificate } from 'node:crypto';

/** EC-P384 only for test service providers (ECDSA-SHA384 requests); our own keys are RSA-3072 and P-256 (keys.ts). */
export type KeyAlgorithm = 'RSA-3072' | 'EC-P256' | 'EC-P384';
export type KeyUse = 'signing' | 'encryption';

export interface KeyWithCertificate {
  privateKeyPem: string;
  certificatePem: string;
}

/**
 * Ten years, as is usual for SAML metadata keys: services pin the certificate
 * from our metadata, and some of them check its dates. Keys are replaced by
 * rotation (a new key published ahead, `rotateSamlKeys`), not by expiry, so a
 * short validity would only make such services fail on a date nobody chose.
 */
const validityYears = 10;

const algorithms = {
  // BSI TR-03116-4: RSA keys of at least 3072 bits.
  'RSA-3072': {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 3072,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  'EC-P256': { name: 'ECDSA', namedCurve: 'P-256' },
  'EC-P384': { name: 'ECDSA', namedCurve: 'P-384' },
} as const;

export async function generateKeyWithCertificate(
  alg: KeyAlgorithm,
  use: KeyUse,
  commonName: string,
  now: Date,
): Promise<KeyWithCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = (await crypto.subtle.generateKey(algorithms[alg], true, ['sign', 'verify'])) as CryptoKeyPair;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + validityYears);
  // Loaded only when a key is made (first start, rotation): the server's idle memory counts (issue 7).
  const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } =
    await import('@peculiar/x509');
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: [{ CN: [commonName] }],
      // An hour of slack for peers whose clocks run behind.
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter,
      keys,
      signingAlgorithm:
        alg === 'RSA-3072'
          ? { name: 'RSASSA-PKCS1-v1_5' }
          : { name: 'ECDSA', hash: alg === 'EC-P384' ? 'SHA-384' : 'SHA-256' },
      extensions: [
        new BasicConstraintsExtension(false),
        new KeyUsagesExtension(
          use === 'signing' ? KeyUsageFlags.digitalSignature : KeyUsageFlags.keyEncipherment,
          true,
        ),
      ],
    },
    crypto,
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { privateKeyPem: pem('PRIVATE KEY', pkcs8), certificatePem: certificate.toString('pem') };
}

export function certificateThumbprint(certificatePem: string): string {
  return createHash('sha256').update(new NodeCertificate(certificatePem).raw).digest('base64url');
}

// RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random octets with the top bit cleared.
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
