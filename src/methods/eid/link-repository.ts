/**
 * Exports `eidLinks(db, clock, linkKey, sector)` → `EidLinks`, and the type
 * `EidLink`: the cards linked to accounts.
 *
 * A card is known by its RestrictedID, which is per card and per terminal
 * sector (TR-03127; design notes finding 4). Only an HMAC of it under an
 * installation secret is stored, so a database dump does not give the
 * identifiers another holder of the same sector could match.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { hmac } from '../../platform/crypto/tokens.ts';
import type { EidType } from './soap/use-id.ts';

export interface EidLink {
  id: string;
  accountId: string;
  documentType: string;
  eidType: EidType;
  createdAt: Date;
  lastUsedAt: Date | undefined;
  blockedAt: Date | undefined;
}

interface Row {
  id: string;
  account_id: string;
  document_type: string;
  eid_type: EidType;
  created_at: Date;
  last_used_at: Date | null;
  blocked_at: Date | null;
}

const toLink = (r: Row): EidLink => ({
  id: r.id,
  accountId: r.account_id,
  documentType: r.document_type,
  eidType: r.eid_type,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : undefined,
  blockedAt: r.blocked_at ? new Date(r.blocked_at) : undefined,
});

const columns = 'id, account_id, document_type, eid_type, created_at, last_used_at, blocked_at';

/** The account's cards that still log in, in any sector (`servicekonto user show`). */
export async function countLiveEidLinks(db: Queryable, accountId: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM eid_links WHERE account_id = $1 AND blocked_at IS NULL',
    [accountId],
  );
  return result.rows[0]?.n ?? 0;
}

export function eidLinks(db: Queryable, clock: Clock, linkKey: string, sector: string) {
  const hashOf = (restrictedId: string) => hmac(linkKey, `${sector}|${restrictedId.toUpperCase()}`);
  return {
    /** The link of this card, blocked or not. */
    async byRestrictedId(restrictedId: string, tx: Queryable = db): Promise<EidLink | undefined> {
      const result = await tx.query<Row>(
        `SELECT ${columns} FROM eid_links WHERE sector = $1 AND restricted_id_hash = $2`,
        [sector, hashOf(restrictedId)],
      );
      return result.rows[0] ? toLink(result.rows[0]) : undefined;
    },
    async forAccount(accountId: string, tx: Queryable = db): Promise<EidLink[]> {
      const result = await tx.query<Row>(
        `SELECT ${columns} FROM eid_links WHERE account_id = $1 AND sector = $2 ORDER BY created_at`,
        [accountId, sector],
      );
      return result.rows.map(toLink);
    },
    /** Links the card; false when it is already linked (to this or another account). */
    async link(
      accountId: string,
      card: { restrictedId: string; documentType: string; eidType: EidType },
      tx: Queryable = db,
    ): Promise<boolean> {
      const now = clock.now();
      const result = await tx.query(
        `INSERT INTO eid_links (account_id, sector, restricted_id_hash, document_type, eid_type, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (sector, restricted_id_hash) DO NOTHING`,
        [accountId, sector, hashOf(card.restrictedId), card.documentType, card.eidType, now],
      );
      return result.rowCount === 1;
    },
    async touch(linkId: string, tx: Queryable = db): Promise<void> {
      await tx.query('UPDATE eid_links SET last_used_at = $2 WHERE id = $1', [linkId, clock.now()]);
    },
    /** Blocks one of the account's links (a lost card); returns whether one was blocked. */
    async block(accountId: string, linkId: string, tx: Queryable = db): Promise<boolean> {
      const result = await tx.query(
        'UPDATE eid_links SET blocked_at = $3 WHERE account_id = $1 AND id = $2 AND blocked_at IS NULL',
        [accountId, linkId, clock.now()],
      );
      return result.rowCount === 1;
    },
  };
}

export type EidLinks = ReturnType<typeof eidLinks>;
