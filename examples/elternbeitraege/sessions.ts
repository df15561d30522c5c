import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { UserInfoResponse } from 'openid-client';
import type { PendingLogin } from './oidc.ts';

export interface Session {
  csrf: string;
  pending?: PendingLogin;
  /** `acr`: the trust level the ID token says. */
  user?: { subject: string; idToken: string; acr: string | undefined; userinfo: UserInfoResponse };
  flash?: string;
  expires: number;
}

/** In-memory sessions of the example (a real service would keep them in its database). */
export function sessionStore(maxAgeMs = 8 * 3600 * 1000) {
  const sessions = new Map<string, Session>();
  return {
    get(id: string | undefined): { id: string; session: Session } {
      const existing = id ? sessions.get(id) : undefined;
      if (id && existing && existing.expires > Date.now()) return { id, session: existing };
      const fresh = randomBytes(32).toString('base64url');
      const session: Session = { csrf: randomBytes(32).toString('base64url'), expires: Date.now() + maxAgeMs };
      sessions.set(fresh, session);
      return { id: fresh, session };
    },
    destroy(id: string): void {
      sessions.delete(id);
    },
  };
}

export function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}
