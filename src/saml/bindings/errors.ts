/**
 * Exports `SamlBindingError` (a `SamlInputError`) and its codes: why a
 * message could not be taken out of its HTTP binding. `too_large` maps to
 * the catalogue's payload_too_large; the rest are bad requests.
 */
import { SamlInputError } from '../../platform/xml/errors.ts';

export type SamlBindingErrorCode =
  | 'too_large'
  | 'duplicate_parameter'
  | 'missing_message'
  | 'both_messages'
  | 'encoding'
  | 'base64'
  | 'inflate'
  | 'unsupported_encoding'
  | 'signature_parameters'
  | 'relay_state';

export class SamlBindingError extends SamlInputError<SamlBindingErrorCode> {}
