/**
 * Exports the type `GuestRow` and `identityRow`: the consent page's lines
 * of a guest login, from the card read. Each protocol says what its
 * service asked for and what it releases (oidc/guest-release.ts,
 * saml/login/guest-release.ts). Only what the service asked for; never a
 * pseudonym, an e-mail address or a postbox (there is no account to have
 * them).
 */
import type { AttributeName } from '../../identity/attributes.ts';
import type { MessageId } from '../../text/index.ts';

/** One line of the consent page: what, and the value read (undefined: not on the card). */
export interface GuestRow {
  label: MessageId;
  value: string | undefined;
}

/** The line of one identity attribute, with the value the card gave (`identityFromCard(reading).values`). */
export function identityRow(values: Partial<Record<AttributeName, string>>, name: AttributeName): GuestRow {
  return { label: `attr.${name}` as MessageId, value: values[name] };
}
