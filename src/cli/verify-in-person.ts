import { repositories } from '../repositories.ts';
import { auditLog } from '../audit/audit-log.ts';
import type { AttributeName } from '../identity/attributes.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { CliOutput } from './output.ts';
import { hasControlCharacters } from '../flows/validation.ts';
import { parse, required, UsageError } from './args.ts';

export const documentTypes = ['idcard', 'passport', 'residence-permit'] as const;

/** "Straße 1, 12345 Ort" → street, postal code, locality (the last comma separates them). */
export function splitAddress(address: string): Partial<Record<AttributeName, string>> {
  const cut = address.lastIndexOf(',');
  if (cut < 0) throw new UsageError('--address must look like "Heidestraße 17, 51147 Köln"');
  const street = address.slice(0, cut).trim();
  const match = /^(\d{4,5})\s+(.+)$/.exec(address.slice(cut + 1).trim());
  if (!street || !match) throw new UsageError('--address must look like "Heidestraße 17, 51147 Köln"');
  return { street_address: street, postal_code: match[1], locality: match[2], country: 'DE' };
}

function checkedDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    !date.toISOString().startsWith(value) ||
    date.getTime() > Date.now()
  ) {
    throw new UsageError('--birthdate must be a past date as YYYY-MM-DD');
  }
  return value;
}

/**
 * In-person verification (the seed's "Registrieren und Nutzen im
 * Verwaltungskontakt vor Ort"): a clerk who checked an ID document records
 * the identity data at level hoch, with document, clerk and office.
 */
export const verifyInPerson = {
  usage:
    'servicekonto user verify --username U --given-name G --family-name F --birthdate YYYY-MM-DD [--place-of-birth P] [--birth-name B] [--nationality DE] [--address "Straße 1, 12345 Ort"] --document idcard|passport|residence-permit --clerk NAME [--office NAME]',
  parse: (args: string[]) =>
    parse(args, {
      username: { type: 'string' },
      'given-name': { type: 'string' },
      'family-name': { type: 'string' },
      birthdate: { type: 'string' },
      'place-of-birth': { type: 'string' },
      'birth-name': { type: 'string' },
      nationality: { type: 'string' },
      address: { type: 'string' },
      document: { type: 'string' },
      clerk: { type: 'string' },
      office: { type: 'string' },
    }),
  async run(db: Database, values: Record<string, unknown>, _config: unknown, io: CliOutput): Promise<void> {
    const username = required(values, 'username');
    const document = required(values, 'document');
    if (!(documentTypes as readonly string[]).includes(document))
      throw new UsageError(`--document must be one of ${documentTypes.join(', ')}`);
    const clerk = required(values, 'clerk');
    const optional = (name: string) =>
      typeof values[name] === 'string' && (values[name] as string).trim() ? (values[name] as string).trim() : undefined;
    const nationality = optional('nationality')?.toUpperCase();
    if (nationality && !/^[A-Z]{2}$/.test(nationality))
      throw new UsageError('--nationality must be a two-letter country code, e.g. DE');
    const data: Partial<Record<AttributeName, string>> = {
      given_name: required(values, 'given-name'),
      family_name: required(values, 'family-name'),
      birthdate: checkedDate(required(values, 'birthdate')),
      ...(optional('place-of-birth') ? { place_of_birth: optional('place-of-birth') } : {}),
      ...(optional('birth-name') ? { birth_family_name: optional('birth-name') } : {}),
      ...(nationality ? { nationality } : {}),
      ...(optional('address') ? splitAddress(optional('address') ?? '') : {}),
    };
    for (const [name, value] of Object.entries(data)) {
      if ((value ?? '').length > 200 || hasControlCharacters(value ?? ''))
        throw new UsageError(`the value for ${name} is too long or has control characters`);
    }
    const evidence = { document, clerk, ...(optional('office') ? { office: optional('office') ?? '' } : {}) };
    const now = systemClock.now();
    await db.transaction(async (tx) => {
      const r = repositories(tx);
      const account = await r.accounts.byLogin(username);
      if (!account) throw new UsageError(`no account with the username or e-mail "${username}"`);
      await r.attributes.setVerified(account.id, data, { source: 'clerk', level: 4, at: now, evidence });
      // The clerk has seen the person: means set up from now on reach substanziell again after a loss blocked by
      // e-mail.
      await r.accounts.markMeansReset(account.id, undefined);
      await auditLog(systemClock).record(tx, {
        actor: `clerk:${clerk}`,
        action: 'identity.verified_in_person',
        subject: `account:${account.id}`,
        outcome: 'success',
        details: {
          document,
          attributes: Object.keys(data).join(' '),
          ...(evidence.office ? { office: evidence.office } : {}),
        },
      });
    });
    io.out(
      `Recorded ${Object.keys(data).length} identity attributes of ${username} at level hoch (document: ${document}, clerk: ${clerk}).`,
    );
  },
};
