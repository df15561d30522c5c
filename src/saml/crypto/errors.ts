/**
 * Exports `SamlSignatureError` (a `SamlInputError`) and its codes: why a
 * signed message or query was refused. `unsigned` is the one code a caller
 * may treat differently (saml_request_not_signed); every other code means
 * the signature is there and is not acceptable.
 */
import { SamlInputError } from '../../platform/xml/errors.ts';

export type SamlSignatureErrorCode =
  | 'unsigned'
  | 'signature_count'
  | 'signature_position'
  | 'signature_shape'
  | 'comment'
  | 'id'
  | 'reference'
  | 'transform'
  | 'algorithm'
  | 'digest'
  | 'no_trusted_certificate'
  | 'invalid'
  | 'signed_content';

export class SamlSignatureError extends SamlInputError<SamlSignatureErrorCode> {}

/**
 * A SignatureMethod, SigAlg or DigestMethod outside our list (SHA-1 above
 * all: SP 800-131A Rev. 2 §3 disallows it for signatures). `algorithm` is
 * the URI as sent, cut to 200 characters, so the refusal can name it.
 */
export class SamlAlgorithmError extends SamlSignatureError {
  readonly algorithm: string;
  constructor(algorithm: string) {
    super('algorithm', 'not allowed');
    this.algorithm = algorithm.slice(0, 200);
  }
}
