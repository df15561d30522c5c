/**
 * Which data each use of the eID reads (data minimisation, DSGVO Art. 5(1)(c);
 * design notes §5 "Which data each purpose reads"). The authorisation
 * certificate limits it further; the eID-Server refuses what it forbids.
 */
import type { UseOperations } from './soap/operations.ts';

export const eidPurposes = ['login', 'register', 'link', 'refresh', 'recover', 'guest'] as const;
export type EidPurpose = (typeof eidPurposes)[number];

/**
 * Login finds the account by the RestrictedID. The names and the date of
 * birth are read too: a new card is recognised by them without a second
 * PIN entry. They stay in the transaction only.
 */
export const loginOperations: UseOperations = {
  DocumentType: 'REQUIRED',
  GivenNames: 'REQUIRED',
  FamilyNames: 'REQUIRED',
  DateOfBirth: 'REQUIRED',
  RestrictedID: 'REQUIRED',
};

/**
 * Registering, linking and refreshing store the identity data: exactly what
 * the account keeps (identity/attributes.ts) plus document type and issuing
 * state for the evidence. The birth name is optional on the card's side
 * (the citizen can deselect it). Validity, titles, artistic names and the
 * residence permit's conditions are not kept, so they are not read.
 */
export const identityOperations: UseOperations = {
  DocumentType: 'REQUIRED',
  IssuingState: 'REQUIRED',
  GivenNames: 'REQUIRED',
  FamilyNames: 'REQUIRED',
  DateOfBirth: 'REQUIRED',
  PlaceOfBirth: 'REQUIRED',
  Nationality: 'REQUIRED',
  BirthName: 'ALLOWED',
  PlaceOfResidence: 'REQUIRED',
  RestrictedID: 'REQUIRED',
};
