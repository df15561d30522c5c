/**
 * Exports:
 * - `useIdRequestElement(request)`, `readUseIdRequest(element)`.
 * - `useIdResponseElement(response)`, `readUseIdResponse(element, sentPsk?)`.
 * - `levelsOfAssurance`, `eidTypes`.
 * - Types `UseIdRequest`, `UseIdResponse`, `LevelOfAssurance`, `EidType`, `EidTypeRequest`, `Psk`.
 *
 * useIDRequest, TR-03130-1 v2.4.0 §3.2.1 fig. 11 (design notes §1), in this
 * sequence: UseOperations, AgeVerificationRequest?, PlaceVerificationRequest?,
 * TransactionInfo?, TransactionAttestationRequest? (not supported),
 * LevelOfAssuranceRequest?, EIDTypeRequest?, PSK?. useIDResponse, §3.2.1.2
 * and the Governikus XSD: Session, eCardServerAddress?, PSK, dss:Result.
 */
import { el, type XmlElement } from '../../../platform/xml/build.ts';
import { EidServerError } from './errors.ts';
import { eidNs } from './namespaces.ts';
import { extensionOperations, operations, type Requirement, type UseOperations } from './operations.ts';
import { patterns, readSequence } from './read.ts';
import { readResult, resultElement, type EidResult } from './result.ts';

/** TR-03130-1 §3.3.12; note the spelling "substantiell". */
export const levelsOfAssurance = [
  'http://bsi.bund.de/eID/LoA/hoch',
  'http://bsi.bund.de/eID/LoA/substantiell',
  'http://bsi.bund.de/eID/LoA/normal',
  'http://bsi.bund.de/eID/LoA/undefined',
] as const;
export type LevelOfAssurance = (typeof levelsOfAssurance)[number];

/** TR-03130-1 §3.3.13/§3.3.23: the card, and three Smart-eID variants. */
export const eidTypes = ['CardCertified', 'SECertified', 'SEEndorsed', 'HWKeyStore'] as const;
export type EidType = (typeof eidTypes)[number];
export type EidTypeRequest = Partial<Record<EidType, 'ALLOWED' | 'DENIED'>>;

export interface Psk {
  /** string, at least 16 characters; the TC token's SessionIdentifier. */
  id: string;
  /** hexBinary, at least 16 bytes; the TC token's PSK. */
  key: string;
}

export interface UseIdRequest {
  useOperations: UseOperations;
  ageVerification?: { age: number };
  placeVerification?: { communityId: string };
  /** Shown to the citizen by the eID client (TR-03130-1 Table 1). */
  transactionInfo?: string;
  levelOfAssurance?: LevelOfAssurance;
  eidTypes?: EidTypeRequest;
  /** We never send one (the server generates it, design notes §1); read by the simulator. */
  psk?: Psk;
}

export interface UseIdResponse {
  result: EidResult;
  /** Present when the result is ok. */
  session?: { id: string };
  eCardServerAddress?: string;
  psk?: Psk;
}

const e = (name: string, children: XmlElement['children'] = []) => el(eidNs.eid, `eid:${name}`, {}, children);
const requirements: readonly string[] = ['REQUIRED', 'ALLOWED', 'PROHIBITED'];
const pskKey = patterns.hex(16);
const pskId = /^[\x21-\x7E]{16,256}$/;
const sessionId = patterns.hex(16);

/**
 * Every operation is written out in schema order (the 2.0.2 XSD requires most
 * of them), except CommunityID, which is written only when not PROHIBITED so
 * that the same request also fits 2.0.2 servers (design notes §1).
 */
export function useIdRequestElement(request: UseIdRequest): XmlElement {
  const ops = request.useOperations;
  return e('useIDRequest', [
    e(
      'UseOperations',
      operations
        .filter((op) => op !== 'CommunityID' || (ops[op] ?? 'PROHIBITED') !== 'PROHIBITED')
        .map((op) => e(op, [ops[op] ?? 'PROHIBITED'])),
    ),
    request.ageVerification && e('AgeVerificationRequest', [e('Age', [String(request.ageVerification.age)])]),
    request.placeVerification &&
      e('PlaceVerificationRequest', [e('CommunityID', [request.placeVerification.communityId])]),
    request.transactionInfo !== undefined && e('TransactionInfo', [request.transactionInfo]),
    request.levelOfAssurance && e('LevelOfAssuranceRequest', [request.levelOfAssurance]),
    request.eidTypes &&
      e(
        'EIDTypeRequest',
        eidTypes
          .filter((type) => request.eidTypes?.[type])
          .map((type) => e(type, [request.eidTypes?.[type] ?? 'DENIED'])),
      ),
    request.psk && e('PSK', [e('ID', [request.psk.id]), e('Key', [request.psk.key])]),
  ]);
}

export function readUseIdRequest(element: Element): UseIdRequest {
  expectMessage(element, 'useIDRequest');
  const fields = readSequence(element, [
    { name: 'UseOperations' },
    { name: 'AgeVerificationRequest', optional: true },
    { name: 'PlaceVerificationRequest', optional: true },
    { name: 'TransactionInfo', optional: true },
    { name: 'LevelOfAssuranceRequest', optional: true },
    { name: 'EIDTypeRequest', optional: true },
    { name: 'PSK', optional: true },
  ]);
  const opFields = readSequence(
    fields.one('UseOperations'),
    operations.map((name) => ({ name, optional: true })),
    extensionOperations,
  );
  const useOperations: UseOperations = {};
  for (const op of operations) {
    const value = opFields.optionalText(op)?.trim();
    if (value === undefined) continue;
    if (!requirements.includes(value))
      throw new EidServerError('schema', `${op} is not REQUIRED, ALLOWED or PROHIBITED`);
    useOperations[op] = value as Requirement;
  }
  const request: UseIdRequest = { useOperations };
  const age = fields.optional('AgeVerificationRequest');
  if (age) request.ageVerification = { age: Number(readSequence(age, [{ name: 'Age' }]).text('Age', /^[0-9]{1,3}$/)) };
  const place = fields.optional('PlaceVerificationRequest');
  if (place)
    request.placeVerification = {
      communityId: readSequence(place, [{ name: 'CommunityID' }]).text('CommunityID', /^[0-9]{1,14}$/),
    };
  const info = fields.optionalText('TransactionInfo');
  if (info !== undefined) request.transactionInfo = info;
  const loa = fields.optionalText('LevelOfAssuranceRequest')?.trim();
  if (loa !== undefined) request.levelOfAssurance = levelOfAssurance(loa);
  const types = fields.optional('EIDTypeRequest');
  if (types) {
    const typeFields = readSequence(
      types,
      eidTypes.map((name) => ({ name, optional: true })),
    );
    request.eidTypes = {};
    for (const type of eidTypes) {
      const value = typeFields.optionalText(type, /^(ALLOWED|DENIED)$/);
      if (value) request.eidTypes[type] = value as 'ALLOWED' | 'DENIED';
    }
  }
  const psk = fields.optional('PSK');
  if (psk) request.psk = readPsk(psk);
  return request;
}

export function useIdResponseElement(response: UseIdResponse): XmlElement {
  return e('useIDResponse', [
    response.session && e('Session', [e('ID', [response.session.id])]),
    response.eCardServerAddress !== undefined && e('eCardServerAddress', [response.eCardServerAddress]),
    response.psk && e('PSK', [e('ID', [response.psk.id]), e('Key', [response.psk.key])]),
    resultElement(response.result),
  ]);
}

/**
 * `sentPsk`: a PSK we sent must come back unchanged (design notes §1). An
 * error answer may lack Session and PSK; an ok answer must have both.
 */
export function readUseIdResponse(element: Element, sentPsk?: Psk): UseIdResponse {
  expectMessage(element, 'useIDResponse');
  const fields = readSequence(element, [
    { name: 'Session', optional: true },
    { name: 'eCardServerAddress', optional: true },
    { name: 'PSK', optional: true },
    { name: 'Result', ns: eidNs.dss },
  ]);
  const result = readResult(fields.one('Result'));
  if (result.major !== 'ok') return { result };
  const session = readSequence(fields.one('Session'), [{ name: 'ID' }]).text('ID', sessionId);
  // TR-03130-1 §3.3.1: at least 32 hex characters of randomness.
  if (session.length < 32) throw new EidServerError('schema', 'Session ID too short');
  const psk = readPsk(fields.one('PSK'));
  if (sentPsk && (psk.id !== sentPsk.id || psk.key.toLowerCase() !== sentPsk.key.toLowerCase()))
    throw new EidServerError('mismatch', 'PSK differs from the one sent');
  const address = fields.optionalText('eCardServerAddress')?.trim();
  if (address !== undefined && !/^https?:\/\/[^\s]+$/.test(address))
    throw new EidServerError('schema', 'eCardServerAddress is not an http(s) URL');
  return { result, session: { id: session }, psk, ...(address !== undefined && { eCardServerAddress: address }) };
}

function readPsk(element: Element): Psk {
  const fields = readSequence(element, [{ name: 'ID' }, { name: 'Key' }]);
  return { id: fields.text('ID', pskId), key: fields.text('Key', pskKey) };
}

export function levelOfAssurance(value: string): LevelOfAssurance {
  const level = levelsOfAssurance.find((known) => known === value);
  if (!level) throw new EidServerError('schema', 'unknown level of assurance');
  return level;
}

export function expectMessage(element: Element, localName: string): void {
  if (element.namespaceURI !== eidNs.eid) throw new EidServerError('schema', 'not the eID namespace');
  if (element.localName !== localName) throw new EidServerError('schema', `${localName} expected`);
}
