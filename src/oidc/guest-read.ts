import type { Operation, UseOperations } from '../methods/eid/soap/operations.ts';
import type { UseIdRequest } from '../methods/eid/soap/use-id.ts';
import { guestReadRequest, mergeOperation } from '../flows/guest/read-request.ts';
import type { Level } from '../session/limits.ts';

/** OIDC scopes (login/scopes.ts) → the card's data groups; email and phone are not on the card. */
const byScope: Readonly<Record<string, UseOperations>> = {
  profile: {
    GivenNames: 'REQUIRED',
    FamilyNames: 'REQUIRED',
    DateOfBirth: 'REQUIRED',
    PlaceOfBirth: 'ALLOWED',
    BirthName: 'ALLOWED',
    Nationality: 'ALLOWED',
  },
  address: { PlaceOfResidence: 'REQUIRED' },
};

export function guestOidcRequest(scopes: readonly string[], required: Level, serviceName: string): UseIdRequest {
  const operations: UseOperations = {};
  for (const scope of scopes)
    for (const [op, requirement] of Object.entries(byScope[scope] ?? {}))
      mergeOperation(operations, op as Operation, requirement);
  return guestReadRequest(operations, required, serviceName);
}
