import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { secretKeyOf } from '../../platform/crypto/tokens.ts';

const nonceBytes = 16;
const macBytes = 16;

/**
 * Challenges for a login that has no session yet (WebAuthn §13.4.3: random, at least 16 bytes, used once): 16 random
 * bytes, the expiry, and a MAC over both, so nothing is stored when a page merely offers the passkey (the password
 * page asks for a challenge on every visit, for the browser's autofill). Only a used one is remembered, until it
 * expires (passkey-repository.ts).
 */
export function passkeyChallenges(key: string) {
  const secret = secretKeyOf(key);
  const mac = (body: Buffer) =>
    createHmac('sha256', secret).update('passkey|').update(body).digest().subarray(0, macBytes);
  return {
    make(expiresAt: Date): Uint8Array<ArrayBuffer> {
      const body = Buffer.alloc(nonceBytes + 8);
      randomBytes(nonceBytes).copy(body);
      body.writeBigUInt64BE(BigInt(expiresAt.getTime()), nonceBytes);
      return new Uint8Array(Buffer.concat([body, mac(body)]));
    },
    /** The expiry of a challenge we made (base64url, as in the client data), if it is ours and still live. */
    check(challenge: string, now: Date): Date | undefined {
      const bytes = Buffer.from(challenge, 'base64url');
      if (bytes.length !== nonceBytes + 8 + macBytes) return undefined;
      const body = bytes.subarray(0, nonceBytes + 8);
      if (!timingSafeEqual(mac(body), bytes.subarray(nonceBytes + 8))) return undefined;
      const expiresAt = new Date(Number(body.readBigUInt64BE(nonceBytes)));
      return expiresAt.getTime() > now.getTime() ? expiresAt : undefined;
    },
  };
}

export type PasskeyChallenges = ReturnType<typeof passkeyChallenges>;
