/**
 * Exports:
 * - `operations`: the children of OperationsRequestorType in schema order
 *   (TR-03130-1 §3.3.7; design notes §1), also the order of
 *   OperationsResponderType (`OperationsAllowedByUser`).
 * - `extensionOperations`: names the Governikus 2.0.2 schema adds; read past, never written.
 * - Types `Operation`, `Requirement`, `UseOperations`, `AllowedByUser`.
 */
export const operations = [
  'DocumentType',
  'IssuingState',
  'DateOfExpiry',
  'GivenNames',
  'FamilyNames',
  'ArtisticName',
  'AcademicTitle',
  'DateOfBirth',
  'PlaceOfBirth',
  'Nationality',
  'BirthName',
  'PlaceOfResidence',
  'CommunityID',
  'ResidencePermitI',
  'RestrictedID',
  'AgeVerification',
  'PlaceVerification',
] as const;

export type Operation = (typeof operations)[number];

/**
 * TR-03130-1 §3.3.21: REQUIRED goes into the RequiredCHAT, ALLOWED into the OptionalCHAT (the citizen may deselect it).
 */
export type Requirement = 'REQUIRED' | 'ALLOWED' | 'PROHIBITED';

/** Unlisted operations are PROHIBITED (the schema default). */
export type UseOperations = Partial<Record<Operation, Requirement>>;

/** OperationsResponderType: what the citizen let through; NOTONCHIP for an empty data group. */
export type AllowedByUser = Partial<Record<Operation, 'ALLOWED' | 'PROHIBITED' | 'NOTONCHIP'>>;

export const extensionOperations: ReadonlySet<string> = new Set([
  'Sex',
  'OptionalDataR',
  'WrittenSignature',
  'DateOfIssuance',
  'MunicipalityID',
  'ResidencePermitII',
  'PhoneNumber',
  'EmailAddress',
  'PSC',
  'PSM',
  'PSA',
]);
