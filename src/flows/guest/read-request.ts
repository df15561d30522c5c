import type { Operation, Requirement, UseOperations } from '../../methods/eid/soap/operations.ts';
import type { UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import type { Level } from '../../session/limits.ts';
import { loginRequest } from '../../methods/eid/login/scopes.ts';

export function mergeOperation(into: UseOperations, op: Operation, requirement: Requirement): void {
  if (into[op] !== 'REQUIRED') into[op] = requirement;
}

export function guestReadRequest(operations: UseOperations, required: Level, serviceName: string): UseIdRequest {
  // An empty request is not known to be accepted by eID-Servers (unverified): the document type is the least
  // personal item, and says only whether an ID card or a residence permit was used.
  const read: UseOperations = Object.keys(operations).length > 0 ? operations : { DocumentType: 'REQUIRED' };
  return { ...loginRequest(required, serviceName), useOperations: { ...read, RestrictedID: 'PROHIBITED' } };
}
