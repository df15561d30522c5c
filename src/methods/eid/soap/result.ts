/**
 * Exports:
 * - `resultMajor`, `serverMinor`, `ecardMinor`: the result URIs of
 *   TR-03130-1 §3.4 (eID-Server) and TR-03112 (eCard-API, forwarded from the
 *   eID client) that this code names (design notes §1 "Result codes").
 * - `resultElement(result)`: builds `dss:Result`.
 * - `readResult(element)`: reads one, refusing an unknown ResultMajor.
 * - Type `EidResult`.
 */
import { el, type XmlElement } from '../../../platform/xml/build.ts';
import { EidServerError } from './errors.ts';
import { eidNs } from './namespaces.ts';
import { readSequence } from './read.ts';

const majorPrefix = 'http://www.bsi.bund.de/ecard/api/1.1/resultmajor';
export const resultMajor = {
  ok: `${majorPrefix}#ok`,
  error: `${majorPrefix}#error`,
  // TR-03112-1 §4.1.2 defines it; TR-03130 never sends it, so it counts as an error.
  warning: `${majorPrefix}#warning`,
} as const;

const server = 'http://www.bsi.bund.de/eid/server/2.0/resultminor';
export const serverMinor = {
  internalError: `${server}/common#internalError`,
  schemaViolation: `${server}/common#schemaViolation`,
  invalidPSK: `${server}/useID#invalidPSK`,
  tooManyOpenSessions: `${server}/useID#tooManyOpenSessions`,
  missingArgument: `${server}/useID#missingArgument`,
  missingTerminalRights: `${server}/useID#missingTerminalRights`,
  noResultYet: `${server}/getResult#noResultYet`,
  invalidSession: `${server}/getResult#invalidSession`,
  invalidCounter: `${server}/getResult#invalidCounter`,
  deniedDocument: `${server}/getResult#deniedDocument`,
  invalidDocument: `${server}/getResult#invalidDocument`,
} as const;

const ecard = 'http://www.bsi.bund.de/ecard/api/1.1/resultminor';
export const ecardMinor = {
  cancellationByUser: `${ecard}/sal#cancellationByUser`,
  ifdlCancellationByUser: `${ecard}/ifdl#cancellationByUser`,
  communicationError: `${ecard}/al/common#communicationError`,
  unknownError: `${ecard}/al/common#unknownError`,
  trustedChannelEstablishmentFailed: `${ecard}/dp#trustedChannelEstablishmentFailed`,
  documentValidityVerificationFailed: `${ecard}/sal/mEAC#DocumentValidityVerificationFailed`,
  timeoutError: `${ecard}/ifdl/common#timeoutError`,
} as const;

export interface EidResult {
  major: 'ok' | 'error' | 'warning';
  minor?: string;
  message?: string;
}

export function resultElement(result: EidResult): XmlElement {
  return el(eidNs.dss, 'dss:Result', {}, [
    el(eidNs.dss, 'dss:ResultMajor', {}, [resultMajor[result.major]]),
    result.minor !== undefined && el(eidNs.dss, 'dss:ResultMinor', {}, [result.minor]),
    result.message !== undefined && el(eidNs.dss, 'dss:ResultMessage', { 'xml:lang': 'en' }, [result.message]),
  ]);
}

const anyUri = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/**
 * ResultMajor and ResultMinor are dss-qualified (DSS core is
 * elementFormDefault="qualified"); TR-03130 example 4's unprefixed
 * `<ResultMajor>` is a typo and is refused (design notes §1).
 */
export function readResult(element: Element): EidResult {
  const fields = readSequence(element, [
    { name: 'ResultMajor', ns: eidNs.dss },
    { name: 'ResultMinor', ns: eidNs.dss, optional: true },
    { name: 'ResultMessage', ns: eidNs.dss, optional: true },
  ]);
  const majorUri = fields.text('ResultMajor').trim();
  const major = (Object.keys(resultMajor) as (keyof typeof resultMajor)[]).find(
    (name) => resultMajor[name] === majorUri,
  );
  if (!major) throw new EidServerError('result', 'unknown ResultMajor');
  const minor = fields.optionalText('ResultMinor')?.trim();
  if (minor !== undefined && !anyUri.test(minor)) throw new EidServerError('schema', 'ResultMinor is not a URI');
  const message = fields.optionalText('ResultMessage');
  return { major, ...(minor !== undefined && { minor }), ...(message !== undefined && { message }) };
}
