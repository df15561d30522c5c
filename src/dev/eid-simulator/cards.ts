/**
 * Exports `testCards(now)`, `testCardIds`, `testPin` and the types
 * `TestCard`, `TestCardId`: the simulator's cards (design notes §4).
 *
 * `erika` carries the AusweisApp simulator's default data
 * (`SimulatorFileSystem.cpp populateDefaultData`, design notes [S9]); valid
 * cards expire at `now` + 5 years, so tests do not rot on the AusweisApp's
 * fixed 2029 date. The RestrictedID is not stored here: it depends on the
 * sector and is computed per read (`restricted-id.ts`).
 */
import type { Operation } from '../../methods/eid/soap/operations.ts';
import type { PersonalData } from '../../methods/eid/soap/personal-data.ts';
import { ecardMinor, serverMinor } from '../../methods/eid/soap/result.ts';
import type { EidType, LevelOfAssurance } from '../../methods/eid/soap/use-id.ts';

export const testCardIds = [
  'erika',
  'permit',
  'no-address',
  'expired',
  'revoked',
  'pin-blocked',
  'smart-eid',
  'smart-eid-sw',
] as const;
export type TestCardId = (typeof testCardIds)[number];

/** Every card's PIN (design notes §4; PersoSim uses the same default, unverified). */
export const testPin = '123456';

export interface TestCard {
  id: TestCardId;
  /** For the simulated eID-client page (German, as the AusweisApp speaks). */
  label: string;
  eidType: EidType;
  levelOfAssurance: LevelOfAssurance;
  /** Everything but the RestrictedID. */
  data: Omit<PersonalData, 'restrictedId'>;
  /** Data groups the chip does not have: answered NOTONCHIP. */
  notOnChip: readonly Operation[];
  /** Reading this card fails with this ResultMinor. */
  failure?: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function plusYears(now: Date, years: number): Date {
  const date = new Date(now);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
}

export function testCards(now: Date): Record<TestCardId, TestCard> {
  const valid = isoDate(plusYears(now, 5));
  const erika: TestCard['data'] = {
    documentType: 'ID',
    issuingState: 'D',
    dateOfExpiry: valid,
    givenNames: 'ERIKA',
    familyNames: 'MUSTERMANN',
    artisticName: '',
    academicTitle: '',
    dateOfBirth: { dateString: '19640812', dateValue: '1964-08-12' },
    placeOfBirth: { kind: 'freetext', text: 'BERLIN' },
    nationality: 'D',
    birthName: 'GABLER',
    placeOfResidence: { kind: 'structured', street: 'HEIDESTRAẞE 17', city: 'KÖLN', country: 'D', zipCode: '51147' },
    communityId: '02760503150000',
  };
  const card = (id: TestCardId, label: string, data: TestCard['data'], rest: Partial<TestCard> = {}): TestCard => ({
    id,
    label,
    eidType: 'CardCertified',
    levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
    data,
    notOnChip: [],
    ...rest,
  });
  return {
    erika: card('erika', 'Personalausweis Erika Mustermann', erika),
    // DocumentType AR for the electronic residence permit (TR-03127; unverified, design notes §10).
    permit: card(
      'permit',
      'Elektronischer Aufenthaltstitel Olena Kowalenko',
      {
        documentType: 'AR',
        issuingState: 'D',
        dateOfExpiry: valid,
        givenNames: 'OLENA',
        familyNames: 'KOWALENKO',
        artisticName: '',
        academicTitle: '',
        dateOfBirth: { dateString: '19880305', dateValue: '1988-03-05' },
        placeOfBirth: { kind: 'freetext', text: 'KYJIW' },
        nationality: 'UKR',
        placeOfResidence: {
          kind: 'structured',
          street: 'LINDENSTRASSE 5',
          city: 'POTSDAM',
          country: 'D',
          zipCode: '14467',
        },
        residencePermitI: 'Aufenthaltserlaubnis nach § 24 AufenthG',
      },
      { notOnChip: ['BirthName'] },
    ),
    'no-address': card('no-address', 'Personalausweis ohne Wohnort in Deutschland', {
      ...erika,
      givenNames: 'JONAS',
      familyNames: 'AUSLANDSDEUTSCHER',
      birthName: undefined,
      dateOfBirth: { dateString: '19750101', dateValue: '1975-01-01' },
      placeOfResidence: { kind: 'none', text: 'keine Hauptwohnung in Deutschland' },
      communityId: undefined,
    }),
    // Refused by the eID client's validity check (design notes §3 "expired").
    expired: card(
      'expired',
      'Abgelaufener Personalausweis',
      { ...erika, dateOfExpiry: isoDate(new Date(now.getTime() - 86_400_000)) },
      { failure: ecardMinor.documentValidityVerificationFailed },
    ),
    // On the blocking list ("gesperrt"): the server's check fails (TR-03130-1 §2.4.6).
    revoked: card('revoked', 'Gesperrter Personalausweis', erika, { failure: serverMinor.invalidDocument }),
    // Third wrong PIN: the AusweisApp reports Card_Pin_Blocked as al/common#unknownError (design notes §0.2).
    'pin-blocked': card('pin-blocked', 'Personalausweis mit gesperrter PIN', erika, {
      failure: ecardMinor.unknownError,
    }),
    'smart-eid': card('smart-eid', 'Smart-eID Erika Mustermann', erika, { eidType: 'SECertified' }),
    'smart-eid-sw': card('smart-eid-sw', 'Smart-eID ohne Secure Element', erika, {
      eidType: 'HWKeyStore',
      levelOfAssurance: 'http://bsi.bund.de/eID/LoA/substantiell',
    }),
  };
}
