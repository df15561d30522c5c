/**
 * Exports:
 * - `getResultRequestElement(request)`, `readGetResultRequest(element)`.
 * - `getResultResponseElement(response)`, `readGetResultResponse(element)`.
 * - `checkAgainstRequest(response, useOperations)`: an ok answer must carry
 *   every REQUIRED item and nothing PROHIBITED.
 * - Types `GetResultRequest`, `GetResultResponse`.
 *
 * getResultRequest: Session, RequestCounter (TR-03130-1 §3.2.2; +1 per call,
 * a replay guard). getResultResponse (§3.2.2.2 and the Governikus XSD):
 * PersonalData?, FulfilsAgeVerification?, FulfilsPlaceVerification?,
 * OperationsAllowedByUser?, TransactionAttestationResponse?,
 * LevelOfAssuranceResult?, EIDTypeResponse?, dss:Result.
 */
import { el, type XmlElement } from '../../../platform/xml/build.ts';
import { EidServerError } from './errors.ts';
import { eidNs } from './namespaces.ts';
import {
  extensionOperations,
  operations,
  type AllowedByUser,
  type Operation,
  type UseOperations,
} from './operations.ts';
import { personalDataElement, readPersonalData, type PersonalData } from './personal-data.ts';
import { patterns, readSequence } from './read.ts';
import { readResult, resultElement, type EidResult } from './result.ts';
import { eidTypes, expectMessage, levelOfAssurance, type EidType, type LevelOfAssurance } from './use-id.ts';

export interface GetResultRequest {
  sessionId: string;
  requestCounter: number;
}

export interface GetResultResponse {
  result: EidResult;
  personalData?: PersonalData;
  fulfilsAgeVerification?: boolean;
  fulfilsPlaceVerification?: boolean;
  operationsAllowedByUser?: AllowedByUser;
  levelOfAssurance?: LevelOfAssurance;
  /** Which eID type was used (EIDTypeResponse child with the text USED). */
  eidType?: EidType;
}

const e = (name: string, children: XmlElement['children'] = []) => el(eidNs.eid, `eid:${name}`, {}, children);

export function getResultRequestElement(request: GetResultRequest): XmlElement {
  return e('getResultRequest', [
    e('Session', [e('ID', [request.sessionId])]),
    e('RequestCounter', [String(request.requestCounter)]),
  ]);
}

export function readGetResultRequest(element: Element): GetResultRequest {
  expectMessage(element, 'getResultRequest');
  const fields = readSequence(element, [{ name: 'Session' }, { name: 'RequestCounter' }]);
  const sessionId = readSequence(fields.one('Session'), [{ name: 'ID' }]).text('ID', patterns.hex(16));
  return { sessionId, requestCounter: Number(fields.text('RequestCounter', patterns.counter).trim()) };
}

const verification = (name: string, value: boolean | undefined) =>
  value !== undefined && e(name, [e('FulfilsRequest', [String(value)])]);

export function getResultResponseElement(response: GetResultResponse): XmlElement {
  const allowed = response.operationsAllowedByUser;
  return e('getResultResponse', [
    response.personalData && personalDataElement(response.personalData),
    verification('FulfilsAgeVerification', response.fulfilsAgeVerification),
    verification('FulfilsPlaceVerification', response.fulfilsPlaceVerification),
    allowed &&
      e(
        'OperationsAllowedByUser',
        operations.filter((op) => allowed[op] !== undefined).map((op) => e(op, [allowed[op] ?? 'PROHIBITED'])),
      ),
    response.levelOfAssurance && e('LevelOfAssuranceResult', [response.levelOfAssurance]),
    response.eidType && e('EIDTypeResponse', [e(response.eidType, ['USED'])]),
    resultElement(response.result),
  ]);
}

// The 2.0.2 pseudonym-signature and specific-attribute answers: read past, never used.
const responseExtensions: ReadonlySet<string> = new Set([
  'PSC',
  'PSM',
  'PSMVerified',
  'PSA',
  'PSAVerified',
  'SpecificAttribute',
]);

export function readGetResultResponse(element: Element): GetResultResponse {
  expectMessage(element, 'getResultResponse');
  const fields = readSequence(
    element,
    [
      { name: 'PersonalData', optional: true },
      { name: 'FulfilsAgeVerification', optional: true },
      { name: 'FulfilsPlaceVerification', optional: true },
      { name: 'OperationsAllowedByUser', optional: true },
      { name: 'TransactionAttestationResponse', optional: true },
      { name: 'LevelOfAssuranceResult', optional: true },
      { name: 'EIDTypeResponse', optional: true },
      { name: 'Result', ns: eidNs.dss },
    ],
    responseExtensions,
  );
  const result = readResult(fields.one('Result'));
  const personal = fields.optional('PersonalData');
  if (result.major !== 'ok') {
    // Data next to an error would be data nobody vouches for.
    if (personal) throw new EidServerError('result', 'PersonalData with an error result');
    return { result };
  }
  const response: GetResultResponse = { result };
  if (personal) response.personalData = readPersonalData(personal);
  const age = fields.optional('FulfilsAgeVerification');
  if (age) response.fulfilsAgeVerification = readBoolean(age);
  const place = fields.optional('FulfilsPlaceVerification');
  if (place) response.fulfilsPlaceVerification = readBoolean(place);
  const allowed = fields.optional('OperationsAllowedByUser');
  if (allowed) {
    const opFields = readSequence(
      allowed,
      operations.map((name) => ({ name, optional: true })),
      extensionOperations,
    );
    response.operationsAllowedByUser = {};
    for (const op of operations) {
      const value = opFields.optionalText(op, /^(ALLOWED|PROHIBITED|NOTONCHIP)$/);
      if (value) response.operationsAllowedByUser[op] = value as 'ALLOWED' | 'PROHIBITED' | 'NOTONCHIP';
    }
  }
  const loa = fields.optionalText('LevelOfAssuranceResult')?.trim();
  if (loa !== undefined) response.levelOfAssurance = levelOfAssurance(loa);
  const type = fields.optional('EIDTypeResponse');
  if (type) {
    const typeFields = readSequence(
      type,
      eidTypes.map((name) => ({ name, optional: true })),
    );
    const used = eidTypes.filter((name) => typeFields.optional(name));
    if (used.length !== 1 || typeFields.optionalText(used[0] as EidType)?.trim() !== 'USED')
      throw new EidServerError('schema', 'EIDTypeResponse must name one type as USED');
    response.eidType = used[0] as EidType;
  }
  return response;
}

function readBoolean(element: Element): boolean {
  const value = readSequence(element, [{ name: 'FulfilsRequest' }])
    .text('FulfilsRequest', /^\s*(true|false|1|0)\s*$/)
    .trim();
  return value === 'true' || value === '1';
}

const personalField: Partial<Record<Operation, keyof PersonalData>> = {
  DocumentType: 'documentType',
  IssuingState: 'issuingState',
  DateOfExpiry: 'dateOfExpiry',
  GivenNames: 'givenNames',
  FamilyNames: 'familyNames',
  ArtisticName: 'artisticName',
  AcademicTitle: 'academicTitle',
  DateOfBirth: 'dateOfBirth',
  PlaceOfBirth: 'placeOfBirth',
  Nationality: 'nationality',
  BirthName: 'birthName',
  PlaceOfResidence: 'placeOfResidence',
  CommunityID: 'communityId',
  ResidencePermitI: 'residencePermitI',
  RestrictedID: 'restrictedId',
};

/**
 * TR-03130-1 §3.3.21: a REQUIRED item is in the RequiredCHAT, so the card
 * cannot be read without it; its absence in an ok answer (unless the server
 * says NOTONCHIP) means the answer is not the one to our request. An item we
 * PROHIBITED must not appear at all (data minimisation, and a sign of the same).
 */
export function checkAgainstRequest(response: GetResultResponse, useOperations: UseOperations): void {
  if (response.result.major !== 'ok') return;
  const data = response.personalData ?? {};
  for (const op of operations) {
    const field = personalField[op];
    const requirement = useOperations[op] ?? 'PROHIBITED';
    const present =
      field !== undefined
        ? data[field] !== undefined
        : op === 'AgeVerification'
          ? response.fulfilsAgeVerification !== undefined
          : response.fulfilsPlaceVerification !== undefined;
    if (requirement === 'PROHIBITED' && present) throw new EidServerError('mismatch', `${op} was not asked for`);
    if (requirement === 'REQUIRED' && !present && response.operationsAllowedByUser?.[op] !== 'NOTONCHIP')
      throw new EidServerError('mismatch', `${op} is missing`);
  }
}
