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
import { samlParticipationCte, type SamlParticipationRow } from '../../session/participation-repository.ts';
import { seenIdCte } from '../seen-id-repository.ts';
import type { StatementPiece } from '../../platform/db/statement-pieces.ts';

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

/** The answer's own writes as a piece of one statement, and the condition later pieces write under. */
export interface AnswerWrites {
  /** Answers false when the request's id was seen before: then it wrote nothing. */
  piece: StatementPiece<boolean>;
  /** An SQL condition over the piece's CTEs: true when the answer counts (its id was new, or it has none). */
  guard: string;
}

/**
 * The answer's own writes: the request's id as seen (replay, inbound.ts),
 * and the session's participation (the SessionIndex a logout names). Nothing
 * is written when the id was seen before: the participation is inserted only
 * when the id is new, and so are the pieces written under `guard` (the audit
 * events, answer.ts). A concurrent answer to the same id waits for the first
 * one's commit at the id's unique key, and then finds it (ON CONFLICT DO
 * NOTHING).
 */
export function answerWrites(o: { seen: SeenMessage | undefined; participation: SamlParticipationRow | undefined }) {
  const { seen, participation: p } = o;
  const guard = seen ? 'EXISTS (SELECT 1 FROM answer_seen)' : 'true';
  const piece: StatementPiece<boolean> = {
    ctes(bind) {
      const ctes = [];
      if (seen) ctes.push(seenIdCte('answer_seen', bind, seen));
      if (p) ctes.push(samlParticipationCte('answer_participation', bind, p, guard));
      return ctes.join(',\n');
    },
    value: { sql: guard, read: (raw) => raw === true },
  };
  return { piece, guard } satisfies AnswerWrites;
}
