import type { AppContext } from '../../context.ts';
import type { Level } from '../../session/limits.ts';

export type MeansKind = 'password' | 'totp' | 'webauthn' | 'sms';

export interface Means {
  id: string;
  kind: MeansKind;
  /** The name the citizen gave it. */
  name: string | null;
  level: Level;
  /** SMS: the number. */
  phone?: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Set once the means was blocked as lost; it stays listed so the citizen sees what happened. */
  blockedAt: Date | null;
  /** For the app: recovery codes still unused. */
  recoveryCodesLeft?: number;
}

interface Row {
  id: string;
  kind: MeansKind;
  display_name: string | null;
  level: Level;
  public_data: { phone?: string } | null;
  created_at: Date;
  last_used_at: Date | null;
  blocked_at: Date | null;
}

/** The citizen's registered authentication means, blocked ones included (TR-03160-1: the citizen sees the list). */
export async function listMeans(app: AppContext, accountId: string): Promise<Means[]> {
  const result = await app.db.query<Row>(
    `SELECT id, kind, display_name, level, public_data, created_at, last_used_at, blocked_at FROM authentication_means
     WHERE account_id = $1 AND (kind IN ('password', 'webauthn', 'sms') OR (kind = 'totp' AND coalesce((public_data->>'confirmed')::boolean, false)))
     ORDER BY blocked_at NULLS FIRST, created_at`,
    [accountId],
  );
  const left = await app.methods.recovery.remaining(app.db, accountId);
  return result.rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.display_name,
    level: r.level,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    blockedAt: r.blocked_at,
    ...(r.kind === 'sms' && r.public_data?.phone ? { phone: r.public_data.phone } : {}),
    ...(r.kind === 'totp' && !r.blocked_at ? { recoveryCodesLeft: left } : {}),
  }));
}
