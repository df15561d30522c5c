/**
 * Exports `identityFromCard(reading)` (the data read → our identity
 * attributes and the evidence to store with them), `sameHolder(stored,
 * card)` (the new-card check) and `comparison(stored, card)` (rows for the
 * side-by-side page).
 *
 * The card writes names in capitals and uses ICAO codes ("D" for Germany,
 * ICAO Doc 9303 part 3); our attributes use ISO 3166-1 alpha-2 as OIDC
 * does (OIDC Core §5.1.1 `address.country`). Comparing normalises both
 * sides (NFC, German upper case with ẞ/ß → SS, single spaces), so "Erika"
 * typed in matches "ERIKA" from the chip (design notes §5 compare.ts).
 */
import type { AttributeName, IdentityAttribute } from '../../identity/attributes.ts';
import type { GeneralPlace } from './soap/personal-data.ts';
import type { EidReading } from './transaction-repository.ts';

/** ICAO 9303 three-letter codes that differ from ISO 3166-1 alpha-3, and the German "D". */
const icaoToAlpha2: Readonly<Record<string, string>> = {
  D: 'DE',
  DEU: 'DE',
  AUT: 'AT',
  CHE: 'CH',
  FRA: 'FR',
  ITA: 'IT',
  ESP: 'ES',
  NLD: 'NL',
  BEL: 'BE',
  LUX: 'LU',
  POL: 'PL',
  CZE: 'CZ',
  DNK: 'DK',
  SWE: 'SE',
  NOR: 'NO',
  FIN: 'FI',
  PRT: 'PT',
  GRC: 'GR',
  HRV: 'HR',
  HUN: 'HU',
  ROU: 'RO',
  BGR: 'BG',
  SVK: 'SK',
  SVN: 'SI',
  IRL: 'IE',
  GBR: 'GB',
  GBD: 'GB',
  USA: 'US',
  TUR: 'TR',
  UKR: 'UA',
  RUS: 'RU',
  SYR: 'SY',
  AFG: 'AF',
  IRQ: 'IQ',
  IRN: 'IR',
  SRB: 'RS',
  BIH: 'BA',
  XKX: 'XK',
  RKS: 'XK',
  ALB: 'AL',
  MKD: 'MK',
  KOS: 'XK',
  IND: 'IN',
  CHN: 'CN',
  VNM: 'VN',
  ERI: 'ER',
  NGA: 'NG',
  MAR: 'MA',
  TUN: 'TN',
};

export function countryOf(icao: string | undefined): string | undefined {
  if (!icao) return undefined;
  const code = icao.trim().toUpperCase();
  return icaoToAlpha2[code] ?? (/^[A-Z]{2}$/.test(code) ? code : undefined);
}

/** Capitals from the chip in a readable form ("MUSTERMANN" → "Mustermann", "HEIDESTRAẞE 17" → "Heidestraße 17"). */
export function readableName(value: string): string {
  return value
    .normalize('NFC')
    .toLocaleLowerCase('de-DE')
    .replace(
      /(^|[\s\-'’(])(\p{L})/gu,
      (_m, before: string, letter: string) => before + letter.toLocaleUpperCase('de-DE'),
    );
}

/** ISO 8601 date, or only the year (OIDC Core §5.1 `birthdate` allows YYYY) when the chip has a partial date. */
function birthdateOf(reading: EidReading): string | undefined {
  const date = reading.personalData.dateOfBirth;
  if (!date) return undefined;
  if (date.dateValue) return date.dateValue;
  const year = date.dateString.slice(0, 4);
  return /^\d{4}$/.test(year) ? year : undefined;
}

function placeName(place: GeneralPlace | undefined): string | undefined {
  if (!place) return undefined;
  if (place.kind === 'structured') return readableName(place.city);
  return place.kind === 'freetext' ? readableName(place.text) : undefined;
}

export type DocumentKind = 'idcard' | 'residence-permit';

export interface CardIdentity {
  values: Partial<Record<AttributeName, string>>;
  evidence: Record<string, string>;
  document: DocumentKind;
}

/** ID = German ID card; the eAT (TR-03127 "AR", "AS", "AF") is a residence permit. */
export function documentKind(documentType: string | undefined): DocumentKind {
  return documentType?.trim() === 'ID' ? 'idcard' : 'residence-permit';
}

export function identityFromCard(reading: EidReading): CardIdentity {
  const d = reading.personalData;
  const values: Partial<Record<AttributeName, string>> = {};
  const set = (name: AttributeName, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') values[name] = value.trim();
  };
  set('given_name', d.givenNames && readableName(d.givenNames));
  set('family_name', d.familyNames && readableName(d.familyNames));
  set('birthdate', birthdateOf(reading));
  set('birth_family_name', d.birthName && readableName(d.birthName));
  set('place_of_birth', placeName(d.placeOfBirth));
  set('nationality', countryOf(d.nationality));
  const home = d.placeOfResidence;
  if (home?.kind === 'structured') {
    set('street_address', home.street && readableName(home.street));
    set('postal_code', home.zipCode);
    set('locality', readableName(home.city));
    set('country', countryOf(home.country));
  }
  const document = documentKind(d.documentType);
  const evidence: Record<string, string> = {
    document,
    ...(d.documentType && { documentType: d.documentType.trim() }),
    eidType: reading.eidType ?? 'CardCertified',
  };
  if (d.issuingState) evidence.issuingState = d.issuingState.trim();
  return { values, evidence, document };
}

export function normalised(value: string): string {
  return value.normalize('NFC').replace(/ß|ẞ/g, 'SS').toLocaleUpperCase('de-DE').replace(/\s+/g, ' ').trim();
}

const holderAttributes: readonly AttributeName[] = ['given_name', 'family_name', 'birthdate'];

/**
 * A new card belongs to the holder of the account when names and date of
 * birth equal the account's data verified at level hoch (TR-03160-1
 * re-verification of the core identity data).
 */
export function sameHolder(stored: Map<AttributeName, IdentityAttribute>, card: CardIdentity): boolean {
  // A partial date of birth (only the year, as on some residence permits) is too weak a match.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(card.values.birthdate ?? '')) return false;
  return holderAttributes.every((name) => {
    const have = stored.get(name);
    const read = card.values[name];
    return (
      have !== undefined && have.trustLevel >= 4 && read !== undefined && normalised(have.value) === normalised(read)
    );
  });
}

/** Given names and a complete date of birth equal the data verified at hoch (the family name may have changed). */
export function sameGivenNamesAndBirth(stored: Map<AttributeName, IdentityAttribute>, card: CardIdentity): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(card.values.birthdate ?? '')) return false;
  return (['given_name', 'birthdate'] as const).every((name) => {
    const have = stored.get(name);
    const read = card.values[name];
    return (
      have !== undefined && have.trustLevel >= 4 && read !== undefined && normalised(have.value) === normalised(read)
    );
  });
}

export interface ComparisonRow {
  name: AttributeName;
  stored: string | undefined;
  card: string | undefined;
  status: 'same' | 'different' | 'new' | 'kept';
}

/** One row per attribute either side has; `kept` where the card has nothing (the typed value stays at level basis). */
export function comparison(
  stored: Map<AttributeName, IdentityAttribute>,
  card: CardIdentity,
  names: readonly AttributeName[],
): ComparisonRow[] {
  return names.flatMap((name) => {
    const have = stored.get(name)?.value;
    const read = card.values[name];
    if (have === undefined && read === undefined) return [];
    const status =
      read === undefined
        ? 'kept'
        : have === undefined
          ? 'new'
          : normalised(have) === normalised(read)
            ? 'same'
            : 'different';
    return [{ name, stored: have, card: read, status }];
  });
}
