// Keys and self-signed certificates for tests, made once per test process
// (RSA-3072 generation takes a few hundred milliseconds).
import {
  generateKeyWithCertificate,
  type KeyAlgorithm,
  type KeyWithCertificate,
} from '../../src/platform/crypto/certificate.ts';

const cache = new Map<string, Promise<KeyWithCertificate>>();

/** A key pair with a self-signed certificate; the same `name` gives the same key within a process. */
export function testKey(
  name: string,
  alg: KeyAlgorithm = 'RSA-3072',
  use: 'signing' | 'encryption' = 'signing',
): Promise<KeyWithCertificate> {
  const key = `${name}/${alg}/${use}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = generateKeyWithCertificate(alg, use, `test ${name}`, new Date());
    cache.set(key, entry);
  }
  return entry;
}
