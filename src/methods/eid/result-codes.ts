/**
 * Exports:
 * - `classifyResult(result)`: a getResult/useID `dss:Result` → `'ok'`,
 *   `'pending'` (noResultYet) or an `EidFailureKind`.
 * - `classifyRefreshQuery(query)`: the RefreshAddress query → the same kinds;
 *   it only chooses wording when getResult failed too, and never means
 *   success (design notes §0.2).
 * - `outcomeOf(response)`: a getResult answer → `EidOutcome`.
 * - `failureMessageIds`: kind → message id (src/text/eid.ts).
 * - Types `EidFailureKind`, `EidOutcome`.
 *
 * The table of design notes §3 (TR-03130-1 §3.4, TR-03112, AusweisApp
 * ECardApiResult.cpp): a wrong PIN is reported by the AusweisApp as
 * communicationError ("interrupted"), a blocked PIN as unknownError ("card").
 */
import type { MessageId } from '../../text/index.ts';
import type { GetResultResponse } from './soap/get-result.ts';
import type { PersonalData } from './soap/personal-data.ts';
import { ecardMinor, serverMinor, type EidResult } from './soap/result.ts';
import type { EidType, LevelOfAssurance } from './soap/use-id.ts';

export type EidFailureKind =
  'cancelled' | 'interrupted' | 'card' | 'expired' | 'invalid' | 'typeDenied' | 'timeout' | 'busy' | 'technical';

export type EidOutcome =
  | { kind: 'ok'; personalData: PersonalData; levelOfAssurance?: LevelOfAssurance; eidType?: EidType }
  | { kind: 'pending' }
  | { kind: EidFailureKind; minor?: string };

const byMinor: Readonly<Record<string, EidFailureKind>> = {
  [ecardMinor.cancellationByUser]: 'cancelled',
  [ecardMinor.ifdlCancellationByUser]: 'cancelled',
  [ecardMinor.communicationError]: 'interrupted',
  [ecardMinor.trustedChannelEstablishmentFailed]: 'interrupted',
  [ecardMinor.unknownError]: 'card',
  [ecardMinor.documentValidityVerificationFailed]: 'expired',
  [serverMinor.invalidDocument]: 'invalid',
  [serverMinor.deniedDocument]: 'typeDenied',
  [serverMinor.invalidSession]: 'timeout',
  [ecardMinor.timeoutError]: 'timeout',
  [serverMinor.tooManyOpenSessions]: 'busy',
};

export function classifyResult(result: EidResult): 'ok' | 'pending' | EidFailureKind {
  if (result.major === 'ok') return 'ok';
  if (result.minor === serverMinor.noResultYet) return 'pending';
  // internalError, schemaViolation, invalidCounter, missingTerminalRights, unknown minors and #warning.
  return (result.minor !== undefined && byMinor[result.minor]) || 'technical';
}

/** AusweisApp `addMajorMinor`: `ResultMajor=ok`, or `ResultMajor=error&ResultMinor=<suffix>` (design notes §0.2). */
const byRefreshMinor: Readonly<Record<string, EidFailureKind>> = {
  cancellationByUser: 'cancelled',
  communicationError: 'interrupted',
  trustedChannelEstablishmentFailed: 'interrupted',
  clientError: 'card',
  serverError: 'technical',
};

export function classifyRefreshQuery(query: {
  ResultMajor?: string;
  ResultMinor?: string;
}): 'unconfirmed' | EidFailureKind {
  if (query.ResultMajor === 'ok') return 'unconfirmed';
  return (
    (query.ResultMinor !== undefined &&
      Object.hasOwn(byRefreshMinor, query.ResultMinor) &&
      byRefreshMinor[query.ResultMinor]) ||
    'technical'
  );
}

export function outcomeOf(response: GetResultResponse): EidOutcome {
  const kind = classifyResult(response.result);
  if (kind === 'pending') return { kind };
  if (kind !== 'ok') return response.result.minor === undefined ? { kind } : { kind, minor: response.result.minor };
  // An ok answer without data is no identification (the caller asked for at least the RestrictedID).
  if (!response.personalData) return { kind: 'technical' };
  return {
    kind: 'ok',
    personalData: response.personalData,
    ...(response.levelOfAssurance && { levelOfAssurance: response.levelOfAssurance }),
    ...(response.eidType && { eidType: response.eidType }),
  };
}

export const failureMessageIds: Readonly<Record<EidFailureKind, MessageId>> = {
  cancelled: 'eid.error.cancelled',
  interrupted: 'eid.error.interrupted',
  card: 'eid.error.card',
  expired: 'eid.error.expired',
  invalid: 'eid.error.invalid',
  typeDenied: 'eid.error.typeDenied',
  timeout: 'eid.error.timeout',
  busy: 'eid.error.busy',
  technical: 'eid.error.technical',
};
