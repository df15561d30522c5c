// A throwaway PKI for TLS tests, made in-process with @peculiar/x509 once per
// name and test process: a CA, a server certificate for 127.0.0.1/localhost and
// a client certificate, all EC P-256 (fast to make), all PEM.
import { webcrypto } from 'node:crypto';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
  type Extension,
} from '@peculiar/x509';

export interface TestCredential {
  certificatePem: string;
  privateKeyPem: string;
  /** The subject's common name, as the peer sees it. */
  commonName: string;
}

export interface TestPki {
  /** The CA certificate (the trust anchor to configure). */
  caPem: string;
  /** serverAuth, SAN IP:127.0.0.1 and DNS:localhost, issued by the CA. */
  server: TestCredential;
  /** clientAuth, issued by the CA. */
  client: TestCredential;
}

const crypto = webcrypto as unknown as Crypto;
const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const cache = new Map<string, Promise<TestPki>>();

/**
 * A CA with a server and a client certificate; the same `name` gives the same PKI within a process, different names
 * unrelated ones.
 */
export function testPki(name: string): Promise<TestPki> {
  let entry = cache.get(name);
  if (!entry) {
    entry = makePki(name);
    cache.set(name, entry);
  }
  return entry;
}

async function makePki(name: string): Promise<TestPki> {
  const now = Date.now();
  const notBefore = new Date(now - 3600_000);
  const notAfter = new Date(now + 24 * 3600_000);
  const caKeys = await generate();
  const caName = `CN=test ${name} CA`;
  const ca = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: caName,
      notBefore,
      notAfter,
      keys: caKeys,
      signingAlgorithm,
      extensions: [
        new BasicConstraintsExtension(true, 0, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        await SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  async function issue(commonName: string, extensions: Extension[]): Promise<TestCredential> {
    const keys = await generate();
    const certificate = await X509CertificateGenerator.create(
      {
        serialNumber: serial(),
        subject: `CN=${commonName}`,
        issuer: caName,
        notBefore,
        notAfter,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm,
        extensions: [
          new BasicConstraintsExtension(false),
          new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
          await SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
          await AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
          ...extensions,
        ],
      },
      crypto,
    );
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
    return { certificatePem: certificate.toString('pem'), privateKeyPem: pem('PRIVATE KEY', pkcs8), commonName };
  }

  const server = await issue(`test ${name} server`, [
    new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
    new SubjectAlternativeNameExtension([
      { type: 'ip', value: '127.0.0.1' },
      { type: 'dns', value: 'localhost' },
    ]),
  ]);
  const client = await issue(`test ${name} client`, [new ExtendedKeyUsageExtension([ExtendedKeyUsage.clientAuth])]);
  return { caPem: ca.toString('pem'), server, client };
}

function generate(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

// RFC 5280 §4.1.2.2: positive, at most 20 octets.
function serial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
