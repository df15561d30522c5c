// Contract tests of the eID-Interface messages against the element names and
// order of TR-03130-1 v2.4.0 §3.2/§3.3 as transcribed in docs/eid-design-notes.md §1
// and docs/PROFILES.md §3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildXml } from '../../../platform/xml/build.ts';
import { parseSamlXml } from '../../../platform/xml/parse.ts';
import { EidServerError } from './errors.ts';
import {
  checkAgainstRequest,
  getResultRequestElement,
  getResultResponseElement,
  readGetResultRequest,
  readGetResultResponse,
  type GetResultResponse,
} from './get-result.ts';
import { eidNs } from './namespaces.ts';
import { operations } from './operations.ts';
import type { PersonalData } from './personal-data.ts';
import { readResult, resultMajor, serverMinor } from './result.ts';
import {
  readUseIdRequest,
  readUseIdResponse,
  useIdRequestElement,
  useIdResponseElement,
  type UseIdRequest,
} from './use-id.ts';

const root = (xml: string) => parseSamlXml(xml).documentElement as Element;
const childNames = (element: Element) => {
  const names: string[] = [];
  for (let child = element.firstChild; child; child = child.nextSibling)
    if (child.nodeType === 1)
      names.push(`${(child as Element).namespaceURI === eidNs.dss ? 'dss:' : ''}${(child as Element).localName}`);
  return names;
};
const child = (element: Element, name: string) => {
  for (let c = element.firstChild; c; c = c.nextSibling)
    if (c.nodeType === 1 && (c as Element).localName === name) return c as Element;
  throw new Error(`no ${name}`);
};

const loginRequest: UseIdRequest = {
  useOperations: {
    DocumentType: 'REQUIRED',
    GivenNames: 'REQUIRED',
    FamilyNames: 'REQUIRED',
    DateOfBirth: 'REQUIRED',
    RestrictedID: 'REQUIRED',
    BirthName: 'ALLOWED',
  },
  transactionInfo: 'Servicekonto',
  levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
  eidTypes: { CardCertified: 'ALLOWED', SECertified: 'ALLOWED', SEEndorsed: 'ALLOWED', HWKeyStore: 'DENIED' },
};

test('useIDRequest: UseOperations lists every operation in §3.3.7 order, CommunityID only when asked for', () => {
  const request = root(buildXml(useIdRequestElement(loginRequest)));
  assert.equal(request.namespaceURI, 'http://bsi.bund.de/eID/');
  assert.equal(request.localName, 'useIDRequest');
  assert.deepEqual(childNames(request), [
    'UseOperations',
    'TransactionInfo',
    'LevelOfAssuranceRequest',
    'EIDTypeRequest',
  ]);
  const ops = child(request, 'UseOperations');
  assert.deepEqual(childNames(ops), [
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
    'ResidencePermitI',
    'RestrictedID',
    'AgeVerification',
    'PlaceVerification',
  ]);
  assert.equal(child(ops, 'GivenNames').textContent, 'REQUIRED');
  assert.equal(child(ops, 'BirthName').textContent, 'ALLOWED');
  assert.equal(child(ops, 'PlaceOfResidence').textContent, 'PROHIBITED');
  assert.equal(child(request, 'LevelOfAssuranceRequest').textContent, 'http://bsi.bund.de/eID/LoA/hoch');
  assert.deepEqual(childNames(child(request, 'EIDTypeRequest')), [
    'CardCertified',
    'SECertified',
    'SEEndorsed',
    'HWKeyStore',
  ]);
  assert.equal(child(child(request, 'EIDTypeRequest'), 'HWKeyStore').textContent, 'DENIED');

  const withCommunity = root(
    buildXml(
      useIdRequestElement({
        useOperations: { CommunityID: 'ALLOWED' },
        ageVerification: { age: 18 },
        placeVerification: { communityId: '02760503150000' },
      }),
    ),
  );
  assert.ok(childNames(child(withCommunity, 'UseOperations')).includes('CommunityID'));
  assert.deepEqual(childNames(withCommunity), ['UseOperations', 'AgeVerificationRequest', 'PlaceVerificationRequest']);
  assert.equal(operations.length, 17);
});

test('useIDRequest reads back what was built', () => {
  const read = readUseIdRequest(root(buildXml(useIdRequestElement(loginRequest))));
  assert.equal(read.useOperations.GivenNames, 'REQUIRED');
  assert.equal(read.useOperations.PlaceOfResidence, 'PROHIBITED');
  assert.equal(read.levelOfAssurance, 'http://bsi.bund.de/eID/LoA/hoch');
  assert.deepEqual(read.eidTypes, loginRequest.eidTypes);
  assert.equal(read.transactionInfo, 'Servicekonto');
});

const session = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
const psk = { id: 'psk-0123456789abcdef', key: '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF' };

test('useIDResponse: Session, eCardServerAddress, PSK, dss:Result in XSD order', () => {
  const xml = buildXml(
    useIdResponseElement({
      result: { major: 'ok' },
      session: { id: session },
      eCardServerAddress: 'https://eid.example/paos',
      psk,
    }),
  );
  const response = root(xml);
  assert.deepEqual(childNames(response), ['Session', 'eCardServerAddress', 'PSK', 'dss:Result']);
  assert.deepEqual(childNames(child(response, 'PSK')), ['ID', 'Key']);
  assert.deepEqual(childNames(child(response, 'Result')), ['dss:ResultMajor']);
  const read = readUseIdResponse(response);
  assert.deepEqual(read, {
    result: { major: 'ok' },
    session: { id: session },
    psk,
    eCardServerAddress: 'https://eid.example/paos',
  });
  assert.throws(
    () => readUseIdResponse(response, { id: 'another-psk-id-0000', key: psk.key }),
    (e: unknown) => e instanceof EidServerError && e.code === 'mismatch',
  );
});

test('useIDResponse with an error Result needs no Session', () => {
  const read = readUseIdResponse(
    root(buildXml(useIdResponseElement({ result: { major: 'error', minor: serverMinor.tooManyOpenSessions } }))),
  );
  assert.deepEqual(read.result, { major: 'error', minor: serverMinor.tooManyOpenSessions });
  assert.equal(read.session, undefined);
});

test('getResultRequest: Session/ID and RequestCounter', () => {
  const request = root(buildXml(getResultRequestElement({ sessionId: session, requestCounter: 3 })));
  assert.deepEqual(childNames(request), ['Session', 'RequestCounter']);
  assert.deepEqual(readGetResultRequest(request), { sessionId: session, requestCounter: 3 });
});

const erika: PersonalData = {
  documentType: 'ID',
  issuingState: 'D',
  dateOfExpiry: '2031-10-31',
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
  restrictedId: { id: 'AB'.repeat(32) },
};

test('getResultResponse: PersonalData children in schema order, StructuredPlace as Street, City, State, Country, ZipCode', () => {
  const response: GetResultResponse = {
    result: { major: 'ok' },
    personalData: erika,
    operationsAllowedByUser: { GivenNames: 'ALLOWED', ArtisticName: 'NOTONCHIP' },
    levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
    eidType: 'CardCertified',
  };
  const element = root(buildXml(getResultResponseElement(response)));
  assert.deepEqual(childNames(element), [
    'PersonalData',
    'OperationsAllowedByUser',
    'LevelOfAssuranceResult',
    'EIDTypeResponse',
    'dss:Result',
  ]);
  const data = child(element, 'PersonalData');
  assert.deepEqual(childNames(data), [
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
    'RestrictedID',
  ]);
  assert.deepEqual(childNames(child(data, 'DateOfBirth')), ['DateString', 'DateValue']);
  assert.deepEqual(childNames(child(child(data, 'PlaceOfResidence'), 'StructuredPlace')), [
    'Street',
    'City',
    'Country',
    'ZipCode',
  ]);
  assert.deepEqual(childNames(child(data, 'PlaceOfBirth')), ['FreetextPlace']);
  assert.deepEqual(childNames(child(data, 'RestrictedID')), ['ID']);
  assert.deepEqual(readGetResultResponse(element), response);
});

test('getResultResponse: NoPlaceInfo, a DateString with spaces and no DateValue, ID2', () => {
  const data: PersonalData = {
    givenNames: 'ANNA',
    dateOfBirth: { dateString: '1970    ' },
    placeOfResidence: { kind: 'none', text: 'keine Hauptwohnung in Deutschland' },
    restrictedId: { id: '0F'.repeat(32), id2: 'A0'.repeat(32) },
  };
  const read = readGetResultResponse(
    root(buildXml(getResultResponseElement({ result: { major: 'ok' }, personalData: data }))),
  );
  assert.deepEqual(read.personalData, data);
});

test('getResultResponse: noResultYet reads as an error with its minor', () => {
  const read = readGetResultResponse(
    root(buildXml(getResultResponseElement({ result: { major: 'error', minor: serverMinor.noResultYet } }))),
  );
  assert.deepEqual(read, { result: { major: 'error', minor: serverMinor.noResultYet } });
});

test('dss:Result: the URIs of TR-03130-1 §3.4; an unprefixed ResultMajor (TR example 4) is refused', () => {
  assert.equal(resultMajor.ok, 'http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok');
  assert.equal(serverMinor.noResultYet, 'http://www.bsi.bund.de/eid/server/2.0/resultminor/getResult#noResultYet');
  const unqualified = root(
    `<dss:Result xmlns:dss="${eidNs.dss}"><ResultMajor>${resultMajor.ok}</ResultMajor></dss:Result>`,
  );
  assert.throws(
    () => readResult(unqualified),
    (e: unknown) => e instanceof EidServerError && e.code === 'schema',
  );
  const unknown = root(
    `<dss:Result xmlns:dss="${eidNs.dss}"><dss:ResultMajor>http://www.bsi.bund.de/ecard/api/1.1/resultmajor#maybe</dss:ResultMajor></dss:Result>`,
  );
  assert.throws(
    () => readResult(unknown),
    (e: unknown) => e instanceof EidServerError && e.code === 'result',
  );
});

test('checkAgainstRequest: REQUIRED must be there (or NOTONCHIP), PROHIBITED must not', () => {
  const ops = loginRequest.useOperations;
  const data = {
    documentType: 'ID',
    givenNames: 'ERIKA',
    familyNames: 'MUSTERMANN',
    dateOfBirth: { dateString: '19640812' },
    restrictedId: { id: 'AB'.repeat(32) },
  };
  checkAgainstRequest({ result: { major: 'ok' }, personalData: data }, ops);
  const { restrictedId: _dropped, ...withoutPseudonym } = data;
  assert.throws(
    () => checkAgainstRequest({ result: { major: 'ok' }, personalData: withoutPseudonym }, ops),
    (e: unknown) => e instanceof EidServerError && e.code === 'mismatch',
  );
  assert.throws(
    () => checkAgainstRequest({ result: { major: 'ok' }, personalData: { ...data, nationality: 'D' } }, ops),
    (e: unknown) => e instanceof EidServerError && e.code === 'mismatch',
  );
  checkAgainstRequest({ result: { major: 'error', minor: serverMinor.noResultYet } }, ops);
});
