import type { AppContext } from '../../context.ts';
import { listMeansRows } from '../../methods/means-repository.ts';
import type { FactorRole } from '../../methods/method.ts';
import type { MeansKind } from '../../methods/registry.ts';
import type { Level } from '../../session/limits.ts';
import type { MessageId } from '../../text/index.ts';

export type { MeansKind } from '../../methods/registry.ts';

export interface Means {
  id: string;
  kind: MeansKind;
  /** The method's name (registry `title`), shown when the citizen gave none. */
  title: MessageId;
  /** The name the citizen gave it. */
  name: string | null;
  level: Level;
  /** First or second factor (backups are not listed on their own). */
  factor: FactorRole;
  /** What tells it apart besides its name (SMS: the masked number); from its method. */
  detail?: string;
  /** The note shown when it reaches less than its method can (SMS: registered in a weak session). */
  lowLevelNote: MessageId;
  /** The level its method can reach. */
  methodLevel: Level;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Set once the means was blocked as lost; it stays listed so the citizen sees what happened. */
  blockedAt: Date | null;
  /** For the app: recovery codes still unused. */
  recoveryCodesLeft?: number;
}

/**
 * The citizen's registered authentication means, blocked ones included
 * (TR-03160-1: the citizen sees the list): the first and second factors of
 * the registry that keep rows; backups (recovery codes) show on the means
 * they stand in for.
 */
export async function listMeans(app: AppContext, accountId: string): Promise<Means[]> {
  const rows = await listMeansRows(app.db, accountId, app.methods.kinds('first', 'second'));
  const backups = app.methods.list.filter((m) => m.factor === 'backup' && m.standsInFor !== undefined);
  const left = backups.length > 0 ? await app.methods.recovery.remaining(app.db, accountId) : 0;
  return rows.map((r) => {
    const method = app.methods.byKind(r.kind);
    const detail = method?.detailOf?.(r.public_data);
    const backedUp = backups.some((b) => b.standsInFor === r.kind);
    return {
      id: r.id,
      kind: r.kind as MeansKind,
      title: method?.title ?? 'means.title',
      factor: method?.factor ?? 'second',
      lowLevelNote: method?.lowLevelNote ?? 'means.levelLow',
      methodLevel: method?.level ?? 3,
      name: r.display_name,
      level: r.level,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      blockedAt: r.blocked_at,
      ...(detail ? { detail } : {}),
      ...(backedUp && !r.blocked_at ? { recoveryCodesLeft: left } : {}),
    };
  });
}
