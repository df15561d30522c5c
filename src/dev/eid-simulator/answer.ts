/**
 * Exports `answerFor(request, card, choice, sector): GetResultResponse` —
 * what the simulated eID-Server answers to getResult once the simulated
 * client finished with `card` (design notes §4 `personal-data.ts`).
 *
 * - A card with a `failure` answers that minor.
 * - Choosing "Abbrechen", or deselecting a REQUIRED item, answers
 *   `sal#cancellationByUser` (the AusweisApp cannot go on without it).
 * - An eID type the request DENIED, or one below the requested level that
 *   the request did not explicitly ALLOW, answers `getResult#deniedDocument`
 *   (TR-03130-1 §3.3.12/§3.3.13).
 * - Otherwise PersonalData holds the REQUIRED and not deselected ALLOWED
 *   items the chip has; OperationsAllowedByUser says ALLOWED, PROHIBITED
 *   (deselected) or NOTONCHIP; EIDTypeResponse only when EIDTypeRequest was
 *   sent (§3.3.17).
 */
import type { GetResultResponse } from '../../methods/eid/soap/get-result.ts';
import { operations, type AllowedByUser, type Operation } from '../../methods/eid/soap/operations.ts';
import type { PersonalData } from '../../methods/eid/soap/personal-data.ts';
import { ecardMinor, serverMinor } from '../../methods/eid/soap/result.ts';
import { levelsOfAssurance, type UseIdRequest } from '../../methods/eid/soap/use-id.ts';
import type { TestCard } from './cards.ts';
import { restrictedIdentifier } from './restricted-id.ts';

export interface ClientChoice {
  /** ALLOWED items the citizen unticked. */
  deselected?: readonly Operation[];
  cancel?: boolean;
}

const fieldOf: Partial<Record<Operation, Exclude<keyof PersonalData, 'restrictedId'>>> = {
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
};

const error = (minor: string): GetResultResponse => ({ result: { major: 'error', minor } });

// Index in levelsOfAssurance: hoch 0, substantiell 1, normal 2, undefined 3; lower index is higher.
const rank = (level: string) => levelsOfAssurance.indexOf(level as (typeof levelsOfAssurance)[number]);

export function answerFor(
  request: UseIdRequest,
  card: TestCard,
  choice: ClientChoice,
  sector: string,
): GetResultResponse {
  if (choice.cancel) return error(ecardMinor.cancellationByUser);
  if (card.failure) return error(card.failure);
  const typeRule = request.eidTypes?.[card.eidType];
  if (typeRule === 'DENIED') return error(serverMinor.deniedDocument);
  if (
    request.levelOfAssurance &&
    rank(card.levelOfAssurance) > rank(request.levelOfAssurance) &&
    typeRule !== 'ALLOWED'
  )
    return error(serverMinor.deniedDocument);

  const deselected = new Set(choice.deselected ?? []);
  const data: PersonalData = {};
  const allowed: AllowedByUser = {};
  for (const op of operations) {
    const requirement = request.useOperations[op] ?? 'PROHIBITED';
    if (requirement === 'PROHIBITED') continue;
    if (deselected.has(op)) {
      if (requirement === 'REQUIRED') return error(ecardMinor.cancellationByUser);
      allowed[op] = 'PROHIBITED';
      continue;
    }
    if (op === 'RestrictedID') {
      data.restrictedId = { id: restrictedIdentifier(card.id, sector) };
      allowed[op] = 'ALLOWED';
      continue;
    }
    const field = fieldOf[op];
    const value = field === undefined ? undefined : card.data[field];
    // Age and place verification are not simulated; like an empty data group, they are NOTONCHIP.
    if (field === undefined || value === undefined || card.notOnChip.includes(op)) {
      allowed[op] = 'NOTONCHIP';
      continue;
    }
    Object.assign(data, { [field]: value });
    allowed[op] = 'ALLOWED';
  }
  return {
    result: { major: 'ok' },
    personalData: data,
    operationsAllowedByUser: allowed,
    levelOfAssurance: card.levelOfAssurance,
    ...(request.eidTypes && { eidType: card.eidType }),
  };
}
