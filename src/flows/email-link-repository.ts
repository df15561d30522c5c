import type { Queryable } from '../platform/db/database.ts';
import type { LinkPurpose } from './email-links.ts';

/** An open link's row: whose it is, and what it carries. */
export interface LinkRow {
  account_id: string;
  new_email: string | null;
  return_to: string | null;
  service_id: string | null;
}

const linkColumns = 'account_id, new_email, return_to, service_id';

/** The table of mailed links (flows/email-links.ts): only the token's hash is stored. */
export function emailLinkRepository(db: Queryable) {
  return {
    /** Marks every open link of the account and purpose used. */
    async voidOpen(accountId: string, purpose: LinkPurpose, at: Date): Promise<void> {
      await db.query(
        'UPDATE email_tokens SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL',
        [accountId, purpose, at],
      );
    },
    async add(link: {
      hash: string;
      accountId: string;
      purpose: LinkPurpose;
      newEmail: string | null;
      returnTo: string | null;
      serviceId: string | null;
      expiresAt: Date;
      createdAt: Date;
    }): Promise<void> {
      await db.query(
        'INSERT INTO email_tokens (id, account_id, purpose, new_email, return_to, service_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          link.hash,
          link.accountId,
          link.purpose,
          link.newEmail,
          link.returnTo,
          link.serviceId,
          link.expiresAt,
          link.createdAt,
        ],
      );
    },
    /** The open, unexpired link with this hash and purpose. */
    async findOpen(hash: string, purpose: LinkPurpose, now: Date): Promise<LinkRow | undefined> {
      const result = await db.query<LinkRow>(
        `SELECT ${linkColumns} FROM email_tokens WHERE id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
        [hash, purpose, now],
      );
      return result.rows[0];
    },
    /** Marks the open, unexpired link used; undefined when there is none (used, expired or unknown). */
    async use(hash: string, purpose: LinkPurpose, now: Date): Promise<LinkRow | undefined> {
      const result = await db.query<LinkRow>(
        `UPDATE email_tokens SET used_at = $3 WHERE id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING ${linkColumns}`,
        [hash, purpose, now],
      );
      return result.rows[0];
    },
    /** A link already used (or voided by a newer one), kept until housekeeping deletes it. */
    async findUsed(hash: string, purpose: LinkPurpose): Promise<LinkRow | undefined> {
      const result = await db.query<LinkRow>(
        `SELECT ${linkColumns} FROM email_tokens WHERE id = $1 AND purpose = $2 AND used_at IS NOT NULL`,
        [hash, purpose],
      );
      return result.rows[0];
    },
    /** Housekeeping: links a week past their expiry. */
    async deleteExpired(now: Date): Promise<void> {
      await db.query("DELETE FROM email_tokens WHERE expires_at < $1::timestamptz - interval '7 days'", [now]);
    },
  };
}
