/**
 * Exports the one way an inbound SAML message is refused with an error page
 * (no trusted endpoint to answer to yet), and its log line:
 * - `refuseMessage(kind, detail, entityId?)`: throws the catalogue error
 *   for a login request or a logout message, with our short code as
 *   `detail` (shown to the operator on the page);
 * - `refuseAlgorithm(kind, error, entityId?)`: the same for a signature or
 *   digest algorithm we do not accept, naming it and what we accept;
 * - `logRefusal(log, error)`: an info line with the code and the service's
 *   entityID (issue 13, point 16), for operators finding why a service's
 *   messages fail; nothing of the message's personal content.
 * Type `SamlMessageKind`.
 */
import type { FastifyBaseLogger } from 'fastify';
import { AppError, type ErrorCode } from '../platform/http/errors.ts';
import { acceptedAlgorithmsText } from '../platform/xml/algorithms.ts';
import type { SamlAlgorithmError } from './crypto/errors.ts';

export type SamlMessageKind = 'request' | 'logout';

const samlErrors: ReadonlySet<ErrorCode> = new Set([
  'saml_request_invalid',
  'saml_logout_invalid',
  'saml_algorithm_not_allowed',
]);

/** The entityID as claimed, kept short: an unknown issuer is logged too, and its text is the sender's. */
const entity = (entityId: string | undefined): Record<string, string> =>
  entityId === undefined ? {} : { entityId: entityId.slice(0, 200) };

export function refuseMessage(kind: SamlMessageKind, detail: string, entityId?: string): never {
  throw new AppError(kind === 'logout' ? 'saml_logout_invalid' : 'saml_request_invalid', {
    detail,
    ...entity(entityId),
  });
}

export function refuseAlgorithm(kind: SamlMessageKind, error: SamlAlgorithmError, entityId?: string): never {
  throw new AppError('saml_algorithm_not_allowed', {
    detail: `saml-${kind}-algorithm-not-allowed`,
    algorithm: error.algorithm || '(none)',
    accepted: acceptedAlgorithmsText,
    ...entity(entityId),
  });
}

export function logRefusal(log: FastifyBaseLogger, error: unknown): void {
  if (!(error instanceof AppError) || !samlErrors.has(error.code)) return;
  const { detail, entityId, algorithm } = error.params;
  log.info(
    { saml: { refused: detail, entityId: entityId ?? null, ...(algorithm === undefined ? {} : { algorithm }) } },
    'SAML message refused',
  );
}
