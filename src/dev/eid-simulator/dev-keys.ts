/**
 * Exports `ensureDevEidKeys(dataDir, now?)` → `{ simulator, client }`: the
 * development WS-Security keys of the eID simulator and of the app as its
 * eService (design notes §4 "Keys"), each a `KeyWithCertificate` (which is a
 * `SigningKey`). Development and tests only.
 *
 * Files in `${dataDir}/eid-dev/`: simulator-key.pem, simulator-cert.pem,
 * client-key.pem, client-cert.pem (keys mode 0600). Made on first use, read
 * afterwards, so a second simulator or app started on the same DATA_DIR
 * trusts the same certificates without configuration.
 *
 * Two processes may start at once. Each pair is made in temporary files;
 * the key is put in place with link(), which fails when the name exists, so
 * exactly one process wins and the other reads the winner's pair once its
 * certificate is renamed into place (rename is atomic, a half-written file
 * is never seen).
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyWithCertificate, type KeyWithCertificate } from '../../platform/crypto/certificate.ts';

export interface DevEidKeys {
  simulator: KeyWithCertificate;
  client: KeyWithCertificate;
}

export async function ensureDevEidKeys(dataDir: string, now: Date = new Date()): Promise<DevEidKeys> {
  const dir = join(dataDir, 'eid-dev');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const [simulator, client] = await Promise.all([
    ensurePair(dir, 'simulator', 'Servicekonto eID simulator (development)', now),
    ensurePair(dir, 'client', 'Servicekonto eService (development)', now),
  ]);
  return { simulator, client };
}

const waitMs = 50;
const maxWaits = 200;

async function ensurePair(dir: string, name: string, commonName: string, now: Date): Promise<KeyWithCertificate> {
  const keyPath = join(dir, `${name}-key.pem`);
  const certPath = join(dir, `${name}-cert.pem`);
  for (let attempt = 0; attempt < maxWaits; attempt++) {
    const privateKeyPem = await readIfExists(keyPath);
    if (privateKeyPem === undefined) {
      const made = await makePair(keyPath, certPath, commonName, now);
      if (made) return made;
      continue;
    }
    const certificatePem = await readIfExists(certPath);
    if (certificatePem !== undefined) return checked({ privateKeyPem, certificatePem }, keyPath, certPath);
    // Another process has linked its key and is about to rename its certificate.
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  throw new Error(`${keyPath} exists without ${certPath}; delete both to make a new development key`);
}

/** The new pair, or undefined when another process put its key in place first. */
async function makePair(
  keyPath: string,
  certPath: string,
  commonName: string,
  now: Date,
): Promise<KeyWithCertificate | undefined> {
  const pair = await generateKeyWithCertificate('RSA-3072', 'signing', commonName, now);
  const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const tmpKey = keyPath + suffix;
  const tmpCert = certPath + suffix;
  try {
    await writeFile(tmpKey, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(tmpCert, pair.certificatePem, { mode: 0o644, flag: 'wx' });
    try {
      await link(tmpKey, keyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    await rename(tmpCert, certPath);
    return pair;
  } finally {
    await rm(tmpKey, { force: true });
    await rm(tmpCert, { force: true });
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A key that does not belong to its certificate would only fail later, at every signature check. */
function checked(pair: KeyWithCertificate, keyPath: string, certPath: string): KeyWithCertificate {
  const fromKey = createPublicKey(pair.privateKeyPem).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(pair.certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(fromCert))
    throw new Error(`${keyPath} does not belong to ${certPath}; delete both to make a new development key`);
  return pair;
}
