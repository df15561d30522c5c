/**
 * Exports:
 * - `personalDataElement(data)`: builds `eid:PersonalData`.
 * - `readPersonalData(element)`: reads and checks one.
 * - Types `PersonalData`, `GeneralDate`, `GeneralPlace`.
 *
 * PersonalDataType, GeneralDateType, GeneralPlaceType and PlaceType as in
 * TR-03130-1 §3.3 and the Governikus XSD (design notes §1): the children in
 * schema order, each optional; PlaceType is ordered Street?, City, State?,
 * Country, ZipCode? (PROFILES.md §3 lists another order; the XSD decides).
 * The 2.0.2 additions (Sex, DateOfIssuance, …) are read past, unknown
 * elements refused.
 */
import { el, type XmlElement } from '../../../platform/xml/build.ts';
import { EidServerError } from './errors.ts';
import { eidNs } from './namespaces.ts';
import { extensionOperations } from './operations.ts';
import { elementChildren, patterns, readSequence, textOf } from './read.ts';

/** DateString is always there (`[0-9 ]{8}`, spaces for unknown parts); DateValue only for a complete date. */
export interface GeneralDate {
  dateString: string;
  dateValue?: string;
}

export type GeneralPlace =
  | { kind: 'structured'; street?: string; city: string; state?: string; country: string; zipCode?: string }
  | { kind: 'freetext'; text: string }
  /** E.g. "keine Hauptwohnung in Deutschland". */
  | { kind: 'none'; text: string };

export interface PersonalData {
  documentType?: string;
  issuingState?: string;
  dateOfExpiry?: string;
  givenNames?: string;
  familyNames?: string;
  artisticName?: string;
  academicTitle?: string;
  dateOfBirth?: GeneralDate;
  placeOfBirth?: GeneralPlace;
  nationality?: string;
  birthName?: string;
  placeOfResidence?: GeneralPlace;
  communityId?: string;
  residencePermitI?: string;
  /** hexBinary; `id2` for a second sector (TR-03130-1 §3.3.2). */
  restrictedId?: { id: string; id2?: string };
}

const e = (name: string, children: XmlElement['children']) => el(eidNs.eid, `eid:${name}`, {}, children);
const text = (name: string, value: string | undefined) => value !== undefined && e(name, [value]);

export function personalDataElement(data: PersonalData): XmlElement {
  return e('PersonalData', [
    text('DocumentType', data.documentType),
    text('IssuingState', data.issuingState),
    text('DateOfExpiry', data.dateOfExpiry),
    text('GivenNames', data.givenNames),
    text('FamilyNames', data.familyNames),
    text('ArtisticName', data.artisticName),
    text('AcademicTitle', data.academicTitle),
    data.dateOfBirth &&
      e('DateOfBirth', [e('DateString', [data.dateOfBirth.dateString]), text('DateValue', data.dateOfBirth.dateValue)]),
    data.placeOfBirth && placeElement('PlaceOfBirth', data.placeOfBirth),
    text('Nationality', data.nationality),
    text('BirthName', data.birthName),
    data.placeOfResidence && placeElement('PlaceOfResidence', data.placeOfResidence),
    text('CommunityID', data.communityId),
    text('ResidencePermitI', data.residencePermitI),
    data.restrictedId && e('RestrictedID', [e('ID', [data.restrictedId.id]), text('ID2', data.restrictedId.id2)]),
  ]);
}

function placeElement(name: string, place: GeneralPlace): XmlElement {
  if (place.kind === 'freetext') return e(name, [e('FreetextPlace', [place.text])]);
  if (place.kind === 'none') return e(name, [e('NoPlaceInfo', [place.text])]);
  return e(name, [
    e('StructuredPlace', [
      text('Street', place.street),
      e('City', [place.city]),
      text('State', place.state),
      e('Country', [place.country]),
      text('ZipCode', place.zipCode),
    ]),
  ]);
}

const slots = [
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
].map((name) => ({ name, optional: true }));

export function readPersonalData(element: Element): PersonalData {
  const fields = readSequence(element, slots, extensionOperations);
  const dateOfBirth = fields.optional('DateOfBirth');
  const placeOfBirth = fields.optional('PlaceOfBirth');
  const placeOfResidence = fields.optional('PlaceOfResidence');
  const restrictedId = fields.optional('RestrictedID');
  const data: PersonalData = {
    documentType: fields.optionalText('DocumentType', patterns.documentType),
    issuingState: fields.optionalText('IssuingState', patterns.icaoCountry),
    dateOfExpiry: fields.optionalText('DateOfExpiry', patterns.date),
    givenNames: fields.optionalText('GivenNames'),
    familyNames: fields.optionalText('FamilyNames'),
    artisticName: fields.optionalText('ArtisticName'),
    academicTitle: fields.optionalText('AcademicTitle'),
    dateOfBirth: dateOfBirth && readDate(dateOfBirth),
    placeOfBirth: placeOfBirth && readPlace(placeOfBirth),
    nationality: fields.optionalText('Nationality', patterns.icaoCountry),
    birthName: fields.optionalText('BirthName'),
    placeOfResidence: placeOfResidence && readPlace(placeOfResidence),
    communityId: fields.optionalText('CommunityID', /^[0-9A-Fa-f]{1,32}$/),
    residencePermitI: fields.optionalText('ResidencePermitI'),
    restrictedId: restrictedId && readRestrictedId(restrictedId),
  };
  // Absent stays absent: no keys with undefined values reach the caller.
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)) as PersonalData;
}

function readDate(element: Element): GeneralDate {
  const fields = readSequence(element, [{ name: 'DateString' }, { name: 'DateValue', optional: true }]);
  const dateString = fields.text('DateString', patterns.dateString);
  const dateValue = fields.optionalText('DateValue', patterns.date);
  if (dateValue !== undefined && dateValue.replaceAll('-', '') !== dateString)
    throw new EidServerError('schema', 'DateValue differs from DateString');
  return dateValue === undefined ? { dateString } : { dateString, dateValue };
}

function readPlace(element: Element): GeneralPlace {
  const [choice, ...rest] = elementChildren(element);
  if (!choice || rest.length > 0 || choice.namespaceURI !== eidNs.eid)
    throw new EidServerError('schema', `${element.localName} must hold exactly one place`);
  if (choice.localName === 'FreetextPlace') return { kind: 'freetext', text: textOf(choice) };
  if (choice.localName === 'NoPlaceInfo') return { kind: 'none', text: textOf(choice) };
  if (choice.localName !== 'StructuredPlace')
    throw new EidServerError('schema', `unexpected ${choice.localName} in ${element.localName}`);
  const fields = readSequence(choice, [
    { name: 'Street', optional: true },
    { name: 'City' },
    { name: 'State', optional: true },
    { name: 'Country' },
    { name: 'ZipCode', optional: true },
  ]);
  const street = fields.optionalText('Street');
  const state = fields.optionalText('State');
  const zipCode = fields.optionalText('ZipCode');
  return {
    kind: 'structured',
    ...(street !== undefined && { street }),
    city: fields.text('City'),
    ...(state !== undefined && { state }),
    country: fields.text('Country', patterns.icaoCountry),
    ...(zipCode !== undefined && { zipCode }),
  };
}

// A RestrictedID is a hash (TR-03110-2 §3.5: 32 bytes with SHA-256); fewer than 16 bytes is no pseudonym.
function readRestrictedId(element: Element): { id: string; id2?: string } {
  const fields = readSequence(element, [{ name: 'ID' }, { name: 'ID2', optional: true }]);
  const id = fields.text('ID', patterns.hex(16)).toUpperCase();
  const id2 = fields.optionalText('ID2', patterns.hex(16))?.toUpperCase();
  return id2 === undefined ? { id } : { id, id2 };
}
