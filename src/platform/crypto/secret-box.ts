import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes } from 'node:crypto';

/**
 * Secrets the server must read back (a TOTP key) are stored encrypted with
 * AES-256-GCM under a key generated per installation; a database dump alone
 * does not reveal them. Format: base64url(iv | tag | ciphertext).
 */
export function secretBox(installationKey: string) {
  // A key object made once: given bytes, the cipher makes one on every call (platform/crypto/tokens.ts secretKeyOf).
  const key = createSecretKey(createHash('sha256').update(`secret-box|${installationKey}`).digest());
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(box: string): string {
      const raw = Buffer.from(box, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

export type SecretBox = ReturnType<typeof secretBox>;
