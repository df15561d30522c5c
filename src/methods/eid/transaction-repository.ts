/**
 * Exports `eidTransactions(db, clock, box)` → `EidTransactions`, and the
 * types `EidTransaction`, `EidReading`, `NewEidTransaction`.
 *
 * One reading of a card (design notes §6 Login):
 * 1. `create` when the hand-over page is shown: bound to that browser by the
 *    hash of a cookie secret; the TC-token reference goes into the link.
 * 2. `start` when the eID client fetches the TC token: single use; makes
 *    the RefreshAddress reference (TR-03124-1 §2.7: only the browser that
 *    started may finish).
 * 3. `nextCounter` for every getResult (TR-03130-1 §3.2.2: the counter
 *    must grow; an UPDATE … RETURNING keeps it growing across instances).
 * 4. `finish` stores the outcome; the data read are sealed (secretBox) and
 *    live only until the transaction expires.
 * 5. `use` hands the data out once.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import { hashToken, randomToken } from '../../platform/crypto/tokens.ts';
import type { EidFailureKind, EidOutcome } from './result-codes.ts';
import type { EidPurpose } from './read-sets.ts';
import type { PersonalData } from './soap/personal-data.ts';
import type { EidType, LevelOfAssurance, UseIdRequest } from './soap/use-id.ts';

/** What a successful reading gives the flows. */
export interface EidReading {
  personalData: PersonalData;
  levelOfAssurance?: LevelOfAssurance;
  eidType?: EidType;
}

export interface NewEidTransaction {
  purpose: EidPurpose;
  /** The URL prefix of the flow (its RefreshAddress lives below it). */
  base: string;
  /** Flow-specific values (never personal data). */
  context?: Record<string, string>;
  request: UseIdRequest;
}

export interface EidTransaction {
  id: string;
  purpose: EidPurpose;
  base: string;
  context: Record<string, string>;
  bindingHash: string;
  request: UseIdRequest;
  serverSession: string | undefined;
  state: 'created' | 'started' | 'polling' | 'done' | 'failed' | 'used';
  outcome: EidFailureKind | 'ok' | undefined;
  reading: EidReading | undefined;
  expiresAt: Date;
}

interface Row {
  id: string;
  purpose: EidPurpose;
  base: string;
  context: Record<string, string>;
  binding_hash: string;
  request: UseIdRequest;
  server_session: string | null;
  state: EidTransaction['state'];
  outcome: string | null;
  result: string | null;
  expires_at: Date;
}

const columns = 'id, purpose, base, context, binding_hash, request, server_session, state, outcome, result, expires_at';

export function eidTransactions(db: Queryable, clock: Clock, box: SecretBox, ttlMinutes = 10) {
  const toTransaction = (r: Row): EidTransaction => ({
    id: r.id,
    purpose: r.purpose,
    base: r.base,
    context: r.context,
    bindingHash: r.binding_hash,
    request: r.request,
    serverSession: r.server_session === null ? undefined : box.open(r.server_session),
    state: r.state,
    outcome: (r.outcome ?? undefined) as EidTransaction['outcome'],
    reading: r.result === null ? undefined : (JSON.parse(box.open(r.result)) as EidReading),
    expiresAt: new Date(r.expires_at),
  });
  const one = (rows: Row[]) => (rows[0] ? toTransaction(rows[0]) : undefined);

  return {
    /** A new reading for the browser holding `binding`; returns its id and the TC-token reference. */
    async create(t: NewEidTransaction, binding: string): Promise<{ id: string; tcRef: string }> {
      const id = randomToken(18);
      const tcRef = randomToken();
      const now = clock.now();
      await db.query(
        `INSERT INTO eid_transactions (id, purpose, base, context, binding_hash, tc_ref_hash, request, state, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'created', $8, $9)`,
        [
          id,
          t.purpose,
          t.base,
          JSON.stringify(t.context ?? {}),
          hashToken(binding),
          hashToken(tcRef),
          JSON.stringify(t.request),
          now,
          new Date(now.getTime() + ttlMinutes * 60_000),
        ],
      );
      return { id, tcRef };
    },

    /** The eID client fetched the TC token: once per reference, while the transaction lives. */
    async start(tcRef: string): Promise<{ transaction: EidTransaction; refreshRef: string } | undefined> {
      if (tcRef.length > 100) return undefined;
      const refreshRef = randomToken();
      const result = await db.query<Row>(
        `UPDATE eid_transactions SET state = 'started', refresh_ref_hash = $2 WHERE tc_ref_hash = $1 AND state = 'created' AND expires_at > $3 RETURNING ${columns}`,
        [hashToken(tcRef), hashToken(refreshRef), clock.now()],
      );
      const transaction = one(result.rows);
      return transaction && { transaction, refreshRef };
    },

    async setServerSession(id: string, sessionId: string): Promise<void> {
      await db.query('UPDATE eid_transactions SET server_session = $2 WHERE id = $1', [id, box.seal(sessionId)]);
    },

    /** The transaction a RefreshAddress names, while it lives. */
    async byId(id: string): Promise<EidTransaction | undefined> {
      const result = await db.query<Row>(`SELECT ${columns} FROM eid_transactions WHERE id = $1`, [id]);
      return one(result.rows);
    },

    async byRefreshRef(refreshRef: string): Promise<EidTransaction | undefined> {
      if (refreshRef.length > 100) return undefined;
      const result = await db.query<Row>(
        `SELECT ${columns} FROM eid_transactions WHERE refresh_ref_hash = $1 AND expires_at > $2`,
        [hashToken(refreshRef), clock.now()],
      );
      return one(result.rows);
    },

    /**
     * One request at a time asks getResult: a second one (a reload, another tab) would get
     * invalidSession once the first has the result. A claim older than a minute (a crashed
     * instance) may be taken over.
     */
    async claimPolling(id: string): Promise<boolean> {
      const now = clock.now();
      const result = await db.query(
        `UPDATE eid_transactions SET state = 'polling', polling_since = $2
         WHERE id = $1 AND expires_at > $2 AND (state = 'started' OR (state = 'polling' AND polling_since < $2::timestamptz - interval '1 minute'))`,
        [id, now],
      );
      return result.rowCount === 1;
    },

    /** No result yet: the next request may ask again. */
    async releasePolling(id: string): Promise<void> {
      await db.query(
        "UPDATE eid_transactions SET state = 'started', polling_since = NULL WHERE id = $1 AND state = 'polling'",
        [id],
      );
    },

    async nextCounter(id: string): Promise<number> {
      const result = await db.query<{ request_counter: number }>(
        'UPDATE eid_transactions SET request_counter = request_counter + 1 WHERE id = $1 RETURNING request_counter',
        [id],
      );
      return result.rows[0]?.request_counter ?? 1;
    },

    /** Stores the final outcome once; a second caller (a reload racing the first) gets the stored one. */
    async finish(id: string, outcome: Exclude<EidOutcome, { kind: 'pending' }>): Promise<EidTransaction | undefined> {
      const reading: EidReading | undefined =
        outcome.kind === 'ok'
          ? {
              personalData: outcome.personalData,
              ...(outcome.levelOfAssurance && { levelOfAssurance: outcome.levelOfAssurance }),
              ...(outcome.eidType && { eidType: outcome.eidType }),
            }
          : undefined;
      await db.query(
        `UPDATE eid_transactions SET state = $2, outcome = $3, result = $4, server_session = NULL, polling_since = NULL WHERE id = $1 AND state IN ('started', 'polling')`,
        [
          id,
          outcome.kind === 'ok' ? 'done' : 'failed',
          outcome.kind,
          reading ? box.seal(JSON.stringify(reading)) : null,
        ],
      );
      const result = await db.query<Row>(`SELECT ${columns} FROM eid_transactions WHERE id = $1`, [id]);
      return one(result.rows);
    },

    /**
     * A login's reading of a card that belongs to no account, handed to the
     * registration in the same browser (issue 15, point 7: one PIN entry):
     * still sealed, bound to the same browser and expiring as before, now
     * usable only by the registration's form. Once only: a login reading
     * still unused.
     */
    async handOver(
      id: string,
      to: { purpose: EidPurpose; base: string; context: Record<string, string> },
    ): Promise<boolean> {
      const result = await db.query(
        `UPDATE eid_transactions SET purpose = $2, base = $3, context = $4
         WHERE id = $1 AND purpose = 'login' AND state = 'done' AND expires_at > $5`,
        [id, to.purpose, to.base, JSON.stringify(to.context), clock.now()],
      );
      return result.rowCount === 1;
    },

    /** Hands the data read out once; the row keeps only that it was used. */
    async use(id: string, tx: Queryable = db): Promise<EidReading | undefined> {
      const result = await tx.query<Row>(
        `UPDATE eid_transactions SET state = 'used' WHERE id = $1 AND state = 'done' AND expires_at > $2 RETURNING ${columns}`,
        [id, clock.now()],
      );
      if (result.rows[0]) await tx.query('UPDATE eid_transactions SET result = NULL WHERE id = $1', [id]);
      return one(result.rows)?.reading;
    },
  };
}

/** The eID method's housekeeping (method.ts): readings whose time is up, finished or not. */
export async function deleteExpiredEidTransactions(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM eid_transactions WHERE expires_at < $1', [now]);
}

export type EidTransactions = ReturnType<typeof eidTransactions>;
