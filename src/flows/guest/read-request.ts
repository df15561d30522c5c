/**
 * Exports `guestOidcRequest(scopes, required, serviceName)` and
 * `guestSamlRequest(attributes, required, serviceName)`: what a guest login
 * reads from the card. Exactly the data the service asked for (DSGVO
 * Art. 5(1)(c); design notes §6 Guest login), never the RestrictedID: with
 * no account there is nothing to find by it, and it would let readings of
 * the same card be linked.
 *
 * A service asking for optional data (SAML `RequiredAttribute="false"`, or
 * the birth data of the OIDC `profile` scope) gets them ALLOWED, so the
 * citizen may deselect them in the eID client (TR-03130-1 §3.3.21).
 */
import type { Operation, Requirement, UseOperations } from '../../methods/eid/soap/operations.ts';
import type { UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import { urn } from '../../saml/profile/attributes.ts';
import type { Level } from '../../session/limits.ts';
import { loginRequest } from '../eid/login.ts';

/** OIDC scopes (oidc/claims.ts) → the card's data groups; email and phone are not on the card. */
const byScope: Readonly<Record<string, UseOperations>> = {
  profile: { GivenNames: 'REQUIRED', FamilyNames: 'REQUIRED', DateOfBirth: 'REQUIRED', PlaceOfBirth: 'ALLOWED', BirthName: 'ALLOWED', Nationality: 'ALLOWED' },
  address: { PlaceOfResidence: 'REQUIRED' },
};

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

function merge(into: UseOperations, op: Operation, requirement: Requirement): void {
  if (into[op] !== 'REQUIRED') into[op] = requirement;
}

function request(operations: UseOperations, required: Level, serviceName: string): UseIdRequest {
  // An empty request is not known to be accepted by eID-Servers (unverified): the document type is the least
  // personal item, and says only whether an ID card or a residence permit was used.
  const read: UseOperations = Object.keys(operations).length > 0 ? operations : { DocumentType: 'REQUIRED' };
  return { ...loginRequest(required, serviceName), useOperations: { ...read, RestrictedID: 'PROHIBITED' } };
}

export function guestOidcRequest(scopes: readonly string[], required: Level, serviceName: string): UseIdRequest {
  const operations: UseOperations = {};
  for (const scope of scopes) for (const [op, requirement] of Object.entries(byScope[scope] ?? {})) merge(operations, op as Operation, requirement);
  return request(operations, required, serviceName);
}

export function guestSamlRequest(attributes: readonly { name: string; required: boolean }[], required: Level, serviceName: string): UseIdRequest {
  const operations: UseOperations = {};
  for (const attribute of attributes) {
    const op = byAttribute[attribute.name];
    if (op) merge(operations, op, attribute.required ? 'REQUIRED' : 'ALLOWED');
  }
  return request(operations, required, serviceName);
}
