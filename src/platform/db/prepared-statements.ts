import { createHash } from 'node:crypto';

/**
 * Put first in a statement whose best plan depends on how large its tables are now: a join of an array parameter
 * of any length with a table that grows (the batched token look-ups and writes, src/oidc/payload-*-repository.ts).
 * It always runs unnamed, so PostgreSQL plans it for each execution with the table as it is. A named statement
 * settles on a generic plan after five executions; one made while the table was small (a fresh installation, the
 * first minutes after a start) joins by a sequential scan and keeps doing so as the table grows, until an ANALYZE
 * invalidates it: the bench measured 2,395 such scans reading 81 million rows in 40 s of refresh grants, and
 * PostgreSQL's share of each grant growing with the table. Planning costs about half a millisecond per statement,
 * which a batch shares.
 */
export const plannedPerExecution = '/* planned per execution */ ';

/**
 * Which statements run as named prepared statements on PostgreSQL (issue 16). `pg` parses a named statement once per
 * connection and from then on sends only its parameters (Bind/Execute), and the server skips parsing and, once it
 * settles on a generic plan, planning. A statement is prepared from the second time it is seen, so the few run once
 * (migrations, the CLI) take no slot; texts made on the fly (lists of varying length) are bounded by `most`.
 */
export function preparedStatements(most = 200) {
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const refused = new Set<string>();
  return {
    /** The name to prepare `sql` under, or undefined to run it unnamed. */
    nameFor(sql: string): string | undefined {
      const known = names.get(sql);
      if (known !== undefined || refused.has(sql)) return known;
      if (sql.startsWith(plannedPerExecution)) return undefined;
      if (!seen.has(sql)) {
        // A process that makes ever new texts must not grow this without bound.
        if (seen.size >= 10 * most) seen.clear();
        seen.add(sql);
        return undefined;
      }
      if (names.size >= most) return undefined;
      const name = `sk_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
      names.set(sql, name);
      return name;
    },
    /**
     * A prepared statement whose result changed its shape under it (a migration of another instance altered a
     * table a `SELECT *` reads: "cached plan must not change result type") runs unnamed from now on.
     */
    refuse(sql: string): void {
      names.delete(sql);
      refused.add(sql);
    },
  };
}

export type PreparedStatements = ReturnType<typeof preparedStatements>;

/** PostgreSQL's answer to a prepared statement whose result type changed (SQLSTATE 0A000). */
export function isStalePreparedStatement(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '0A000' &&
    /cached plan must not change result type/.test(String((error as { message?: unknown }).message))
  );
}
