import {
  asAccountId,
  claimsSourceColumns,
  toClaimsSource,
  type ClaimsSource,
  type ClaimsSourceRow,
} from '../../oidc/claims-source-repository.ts';
import { activeScopesColumn } from '../../flows/consent/consent-repository.ts';
import {
  secondFactorWishColumns,
  toSecondFactorWish,
  type SecondFactorWish,
  type SecondFactorWishRow,
} from '../../methods/means-repository.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { SeenMessage } from '../inbound.ts';
import { recordSeen } from '../inbound.ts';
import { addSamlParticipation, type SamlParticipationRow } from '../../session/participation-repository.ts';

/**
 * The storage of a SAML answer (answer.ts) in as few round trips as the
 * data allow (issue 16): one read of what the login's checks and the
 * Response need, and the answer's writes of its own in one statement. The
 * columns come from the repositories that own their tables.
 */

/** What the checks and the answer read of the account: its claims, its consent, its second-factor wish. */
export interface AnswerRead {
  source: ClaimsSource;
  /** The scopes the citizen consented to for the service; undefined without consent. */
  consent: string[] | undefined;
  wish: SecondFactorWish;
}

type AnswerReadRow = ClaimsSourceRow & SecondFactorWishRow & { consent_scopes: string[] | null };

/** One statement for the account, its identity data, its consent to `serviceId` and its second factors of `kinds`. */
export async function readForAnswer(
  db: Queryable,
  accountId: string,
  serviceId: string,
  kinds: readonly string[],
): Promise<AnswerRead | undefined> {
  const result = await db.query<AnswerReadRow>(
    `SELECT ${claimsSourceColumns('a')}, ${secondFactorWishColumns('a', '$3')},
            ${activeScopesColumn('a.id', '$2')} AS consent_scopes
       FROM accounts a WHERE a.id = ${asAccountId('$1::text')}`,
    [accountId, serviceId, [...kinds]],
  );
  const row = result.rows[0];
  const source = row && toClaimsSource(row);
  if (!row || !source) return undefined;
  return { source, consent: row.consent_scopes ?? undefined, wish: toSecondFactorWish(row) };
}

/**
 * The answer's own writes: the request's id as seen (replay, inbound.ts),
 * and the session's participation (the SessionIndex a logout names). False
 * when the id was seen before: then nothing is written. Both in one
 * statement: the participation is inserted only when the id is new; a
 * concurrent answer to the same id waits for the first one's commit at the
 * id's unique key, and then finds it (ON CONFLICT DO NOTHING).
 */
export async function recordAnswer(
  tx: Queryable,
  o: { seen: SeenMessage | undefined; participation: SamlParticipationRow | undefined },
): Promise<boolean> {
  const { seen, participation: p } = o;
  if (!seen) {
    if (p) await addSamlParticipation(tx, p);
    return true;
  }
  if (!p) return recordSeen(tx, seen);
  const result = await tx.query(
    `WITH seen AS (
       INSERT INTO saml_seen_ids (service_id, message_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1
     )
     INSERT INTO session_participations
       (sso_session_id, account_id, service_id, protocol, session_index, name_id, name_id_format)
     SELECT $4::text, $5::uuid, $6::text, 'saml', $7::text, $8::text, $9::text WHERE EXISTS (SELECT 1 FROM seen)`,
    [
      seen.serviceId,
      seen.messageId,
      seen.expiresAt,
      p.sessionId,
      p.accountId,
      p.serviceId,
      p.sessionIndex,
      p.nameId,
      p.nameIdFormat,
    ],
  );
  return result.rowCount === 1;
}
