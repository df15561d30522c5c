import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/database.ts';
import { hashToken, randomToken } from '../platform/crypto/tokens.ts';
import { AppError } from '../platform/http/errors.ts';
import { emailLinkRepository, type LinkRow } from './email-link-repository.ts';

export type LinkPurpose = 'verify_email' | 'reset_password' | 'change_email' | 'block_means';

/** How long a mailed link lives. Reset links are short: they log a stranger in if the mailbox is compromised. */
export const linkLifetimeSeconds: Record<LinkPurpose, number> = {
  verify_email: 48 * 3600,
  reset_password: 60 * 60,
  change_email: 24 * 3600,
  block_means: 24 * 3600,
};

export interface LinkRecord {
  accountId: string;
  newEmail: string | null;
  returnTo: string | null;
  /** The service whose login the citizen came from (registration links). */
  serviceId: string | null;
}

const recordOf = (row: LinkRow): LinkRecord => ({
  accountId: row.account_id,
  newEmail: row.new_email,
  returnTo: row.return_to,
  serviceId: row.service_id,
});

/**
 * Single-use, expiring links sent by mail. The mail holds the token, the
 * database only its hash; issuing a new link voids the older ones of the
 * same purpose.
 */
export function emailLinks(clock: Clock) {
  return {
    async issue(
      tx: Queryable,
      accountId: string,
      purpose: LinkPurpose,
      extra: { newEmail?: string; returnTo?: string; serviceId?: string } = {},
    ): Promise<string> {
      const token = randomToken();
      const now = clock.now();
      const links = emailLinkRepository(tx);
      await links.voidOpen(accountId, purpose, now);
      await links.add({
        hash: hashToken(token),
        accountId,
        purpose,
        newEmail: extra.newEmail ?? null,
        returnTo: extra.returnTo ?? null,
        serviceId: extra.serviceId ?? null,
        expiresAt: new Date(now.getTime() + linkLifetimeSeconds[purpose] * 1000),
        createdAt: now,
      });
      return token;
    },
    /** Voids every open link of the purpose (links sent to an address the account no longer has). */
    async voidAll(tx: Queryable, accountId: string, purpose: LinkPurpose): Promise<void> {
      await emailLinkRepository(tx).voidOpen(accountId, purpose, clock.now());
    },
    /** Checks a link without using it up (to show the form a link leads to). */
    async peek(db: Queryable, token: string | undefined, purpose: LinkPurpose): Promise<LinkRecord> {
      if (!token || token.length > 100) throw new AppError('link_invalid');
      const row = await emailLinkRepository(db).findOpen(hashToken(token), purpose, clock.now());
      if (!row) throw new AppError('link_invalid');
      return recordOf(row);
    },
    /** A link used up before (or voided by a newer one); undefined for an unknown or malformed token. */
    async used(db: Queryable, token: string | undefined, purpose: LinkPurpose): Promise<LinkRecord | undefined> {
      if (!token || token.length > 100) return undefined;
      const row = await emailLinkRepository(db).findUsed(hashToken(token), purpose);
      return row ? recordOf(row) : undefined;
    },
    /** Uses a link up; a second use, an expired or an unknown link is refused. */
    async consume(tx: Queryable, token: string | undefined, purpose: LinkPurpose): Promise<LinkRecord> {
      if (!token || token.length > 100) throw new AppError('link_invalid');
      const row = await emailLinkRepository(tx).use(hashToken(token), purpose, clock.now());
      if (!row) throw new AppError('link_invalid');
      return recordOf(row);
    },
  };
}

export type EmailLinks = ReturnType<typeof emailLinks>;
