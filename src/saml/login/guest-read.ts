import type { Operation, UseOperations } from '../../methods/eid/soap/operations.ts';
import type { UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import { guestReadRequest, mergeOperation } from '../../flows/guest/read-request.ts';
import type { Level } from '../../session/limits.ts';
import { urn } from '../profile/attributes.ts';

/** BundID attribute names (PROFILES.md §1) → the card's data groups; login facts need none. */
const byAttribute: Readonly<Record<string, Operation>> = {
  [urn.givenName]: 'GivenNames',
  [urn.familyName]: 'FamilyNames',
  [urn.birthdate]: 'DateOfBirth',
  [urn.placeOfBirth]: 'PlaceOfBirth',
  [urn.birthName]: 'BirthName',
  [urn.nationality]: 'Nationality',
  [urn.streetAddress]: 'PlaceOfResidence',
  [urn.postalCode]: 'PlaceOfResidence',
  [urn.locality]: 'PlaceOfResidence',
  [urn.country]: 'PlaceOfResidence',
  [urn.documentType]: 'DocumentType',
  [urn.title]: 'AcademicTitle',
  [urn.communityId]: 'CommunityID',
};

/** SAML attribute names a guest login can answer from the card. */
export function readableFromCard(name: string): boolean {
  return Object.hasOwn(byAttribute, name);
}

export function guestSamlRequest(
  attributes: readonly { name: string; required: boolean }[],
  required: Level,
  serviceName: string,
): UseIdRequest {
  const operations: UseOperations = {};
  for (const attribute of attributes) {
    const op = byAttribute[attribute.name];
    if (op) mergeOperation(operations, op, attribute.required ? 'REQUIRED' : 'ALLOWED');
  }
  return guestReadRequest(operations, required, serviceName);
}
