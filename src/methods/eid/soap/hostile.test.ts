// Hostile or malformed SOAP answers (design notes §8): each one ends in an
// EidServerError with a stable code, never in data or an uncaught TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testKey } from '../../../../test/helpers/saml-keys.ts';
import { el, type XmlElement } from '../../../platform/xml/build.ts';
import { parseEnvelope } from './envelope.ts';
import { EidServerError, type EidServerErrorCode } from './errors.ts';
import { readGetResultResponse } from './get-result.ts';
import { eidNs } from './namespaces.ts';
import { resultMajor } from './result.ts';
import { readUseIdResponse } from './use-id.ts';
import { signEnvelope, verifyEnvelope } from './ws-security.ts';

const now = new Date('2026-11-27T12:00:00Z');
const ok = `<dss:Result><dss:ResultMajor>${resultMajor.ok}</dss:ResultMajor></dss:Result>`;
const wrap = (body: string, soap: string = eidNs.soap) =>
  `<soapenv:Envelope xmlns:soapenv="${soap}" xmlns:eid="${eidNs.eid}" xmlns:dss="${eidNs.dss}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const getResult = (inner: string) => wrap(`<eid:getResultResponse>${inner}${ok}</eid:getResultResponse>`);
const readUnsigned = (xml: string) => readGetResultResponse(parseEnvelope(xml).message);
const refused = (code: EidServerErrorCode) => (e: unknown) => e instanceof EidServerError && e.code === code;

test('the baseline parses', () => {
  assert.equal(
    readUnsigned(getResult('<eid:PersonalData><eid:GivenNames>ERIKA</eid:GivenNames></eid:PersonalData>')).personalData
      ?.givenNames,
    'ERIKA',
  );
});

test('DTD, internal and external entities, processing instructions: refused before parsing', () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${getResult('<eid:PersonalData><eid:GivenNames>&lol2;</eid:GivenNames></eid:PersonalData>')}`;
  assert.throws(() => readUnsigned(laughs), refused('xml'));
  const external = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${getResult('<eid:PersonalData><eid:GivenNames>&xxe;</eid:GivenNames></eid:PersonalData>')}`;
  assert.throws(() => readUnsigned(external), refused('xml'));
  assert.throws(() => readUnsigned(`<?evil x?>${getResult('')}`), refused('xml'));
  assert.throws(() => readUnsigned(`<?xml version="1.0" encoding="ISO-8859-1"?>${getResult('')}`), refused('xml'));
  assert.throws(
    () => readUnsigned(getResult('<eid:PersonalData><eid:GivenNames>A\u0001B</eid:GivenNames></eid:PersonalData>')),
    refused('xml'),
  );
});

test('huge, deep and wide documents: refused by the parser limits', () => {
  const huge = getResult(
    `<eid:PersonalData><eid:GivenNames>${'A'.repeat(300 * 1024)}</eid:GivenNames></eid:PersonalData>`,
  );
  assert.throws(() => readUnsigned(huge), refused('too_large'));
  const deep = getResult(`${'<x:a xmlns:x="urn:x">'.repeat(10_000)}${'</x:a>'.repeat(10_000)}`);
  assert.throws(
    () => readUnsigned(deep),
    (e: unknown) => e instanceof EidServerError && (e.code === 'xml' || e.code === 'too_large'),
  );
  const wide = getResult(`<x:a xmlns:x="urn:x">${'<b/>'.repeat(20_000)}</x:a>`);
  assert.throws(() => readUnsigned(wide), refused('xml'));
});

test('wrong namespaces: SOAP 1.2, eID v2, ResultMajor unqualified or in the eID namespace', () => {
  assert.throws(
    () =>
      readUnsigned(
        wrap(`<eid:getResultResponse>${ok}</eid:getResultResponse>`, 'http://www.w3.org/2003/05/soap-envelope'),
      ),
    refused('envelope'),
  );
  const v2 = getResult('').replace(`xmlns:eid="${eidNs.eid}"`, 'xmlns:eid="http://bsi.bund.de/eID/v2"');
  assert.throws(() => readUnsigned(v2), refused('schema'));
  assert.throws(
    () =>
      readUnsigned(
        wrap(
          `<eid:getResultResponse><dss:Result><ResultMajor>${resultMajor.ok}</ResultMajor></dss:Result></eid:getResultResponse>`,
        ),
      ),
    refused('schema'),
  );
  assert.throws(
    () =>
      readUnsigned(
        wrap(
          `<eid:getResultResponse><dss:Result><eid:ResultMajor>${resultMajor.ok}</eid:ResultMajor></dss:Result></eid:getResultResponse>`,
        ),
      ),
    refused('schema'),
  );
});

test('two Body elements, two messages in the Body, a SOAP Fault', () => {
  const one = `<eid:getResultResponse>${ok}</eid:getResultResponse>`;
  const twoBodies = `<soapenv:Envelope xmlns:soapenv="${eidNs.soap}" xmlns:eid="${eidNs.eid}" xmlns:dss="${eidNs.dss}"><soapenv:Body>${one}</soapenv:Body><soapenv:Body>${one}</soapenv:Body></soapenv:Envelope>`;
  assert.throws(() => readUnsigned(twoBodies), refused('envelope'));
  assert.throws(() => readUnsigned(wrap(one + one)), refused('envelope'));
  assert.throws(
    () =>
      readUnsigned(
        wrap('<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>x</faultstring></soapenv:Fault>'),
      ),
    refused('fault'),
  );
});

test('missing Result or ResultMajor, unknown ResultMajor, data next to an error', () => {
  assert.throws(() => readUnsigned(wrap('<eid:getResultResponse></eid:getResultResponse>')), refused('schema'));
  assert.throws(
    () => readUnsigned(wrap('<eid:getResultResponse><dss:Result/></eid:getResultResponse>')),
    refused('schema'),
  );
  assert.throws(
    () =>
      readUnsigned(
        wrap(
          '<eid:getResultResponse><dss:Result><dss:ResultMajor>urn:x#ok</dss:ResultMajor></dss:Result></eid:getResultResponse>',
        ),
      ),
    refused('result'),
  );
  const dataWithError = `<eid:getResultResponse><eid:PersonalData><eid:GivenNames>X</eid:GivenNames></eid:PersonalData><dss:Result><dss:ResultMajor>${resultMajor.error}</dss:ResultMajor></dss:Result></eid:getResultResponse>`;
  assert.throws(() => readUnsigned(wrap(dataWithError)), refused('result'));
});

test('PersonalData: duplicates, unknown or misplaced elements, StructuredPlace without City, bad values', () => {
  const bad = (inner: string) => () => readUnsigned(getResult(`<eid:PersonalData>${inner}</eid:PersonalData>`));
  assert.throws(bad('<eid:GivenNames>A</eid:GivenNames><eid:GivenNames>B</eid:GivenNames>'), refused('schema'));
  assert.throws(bad('<eid:FamilyNames>A</eid:FamilyNames><eid:GivenNames>B</eid:GivenNames>'), refused('schema'));
  assert.throws(bad('<eid:Nickname>A</eid:Nickname>'), refused('schema'));
  assert.throws(
    bad(
      '<eid:PlaceOfResidence><eid:StructuredPlace><eid:Street>S</eid:Street><eid:Country>D</eid:Country></eid:StructuredPlace></eid:PlaceOfResidence>',
    ),
    refused('schema'),
  );
  assert.throws(
    bad(
      '<eid:PlaceOfResidence><eid:FreetextPlace>A</eid:FreetextPlace><eid:NoPlaceInfo>B</eid:NoPlaceInfo></eid:PlaceOfResidence>',
    ),
    refused('schema'),
  );
  assert.throws(bad('<eid:RestrictedID><eid:ID>ABCD</eid:ID></eid:RestrictedID>'), refused('schema'));
  assert.throws(bad(`<eid:RestrictedID><eid:ID>${'ZZ'.repeat(32)}</eid:ID></eid:RestrictedID>`), refused('schema'));
  assert.throws(
    bad('<eid:DateOfBirth><eid:DateString>1964-08-12</eid:DateString></eid:DateOfBirth>'),
    refused('schema'),
  );
  assert.throws(bad('<eid:DocumentType>id</eid:DocumentType>'), refused('schema'));
  assert.throws(bad('<eid:GivenNames><eid:x/></eid:GivenNames>'), refused('schema'));
  // Governikus 2.0.2 additions are read past.
  assert.equal(
    readUnsigned(
      getResult(
        '<eid:PersonalData><eid:Nationality>D</eid:Nationality><eid:Sex>F</eid:Sex><eid:BirthName>GABLER</eid:BirthName></eid:PersonalData>',
      ),
    ).personalData?.birthName,
    'GABLER',
  );
});

test('useIDResponse: short or non-hex Session ID, short PSK Key, no Session with ok, a non-http eCardServerAddress', () => {
  const use = (inner: string) => () =>
    readUseIdResponse(parseEnvelope(wrap(`<eid:useIDResponse>${inner}${ok}</eid:useIDResponse>`)).message);
  const psk = `<eid:PSK><eid:ID>psk-0123456789abcdef</eid:ID><eid:Key>${'AB'.repeat(32)}</eid:Key></eid:PSK>`;
  assert.throws(use(`<eid:Session><eid:ID>ABCD</eid:ID></eid:Session>${psk}`), refused('schema'));
  assert.throws(use(`<eid:Session><eid:ID>${'XY'.repeat(16)}</eid:ID></eid:Session>${psk}`), refused('schema'));
  assert.throws(
    use(
      `<eid:Session><eid:ID>${'AB'.repeat(16)}</eid:ID></eid:Session><eid:PSK><eid:ID>psk-0123456789abcdef</eid:ID><eid:Key>ABCD</eid:Key></eid:PSK>`,
    ),
    refused('schema'),
  );
  assert.throws(use(psk), refused('schema'));
  assert.throws(
    use(
      `<eid:Session><eid:ID>${'AB'.repeat(16)}</eid:ID></eid:Session><eid:eCardServerAddress>javascript:alert(1)</eid:eCardServerAddress>${psk}`,
    ),
    refused('schema'),
  );
});

test('hostile content inside a correctly signed envelope is still refused by the reader', async () => {
  const key = await testKey('eid-hostile');
  const e = (name: string, children: XmlElement['children'] = []) => el(eidNs.eid, `eid:${name}`, {}, children);
  const message = e('getResultResponse', [
    e('PersonalData', [e('GivenNames', ['A']), e('GivenNames', ['B'])]),
    el(eidNs.dss, 'dss:Result', {}, [el(eidNs.dss, 'dss:ResultMajor', {}, [resultMajor.ok])]),
  ]);
  const verified = verifyEnvelope(signEnvelope(message, key, now), [key.certificatePem], now);
  assert.throws(() => readGetResultResponse(verified.message), refused('schema'));
});
