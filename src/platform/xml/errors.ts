/**
 * Exports:
 * - `SamlInputError`: base of every refusal of inbound SAML input by the XML,
 *   crypto and binding layers. `code` is short and stable (for logs and the
 *   error catalogue); `message` never repeats the input.
 * - `SamlXmlError`: the XML layer's refusals (parse, build, schema).
 * - `SamlXmlErrorCode`.
 */
export class SamlInputError<Code extends string = string> extends Error {
  readonly code: Code;
  constructor(code: Code, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = new.target.name;
    this.code = code;
  }
}

export type SamlXmlErrorCode =
  | 'too_large'
  | 'invalid_char'
  | 'encoding'
  | 'dtd'
  | 'processing_instruction'
  | 'malformed'
  | 'roots'
  | 'too_deep'
  | 'too_many_nodes'
  | 'too_many_attributes'
  | 'schema';

export class SamlXmlError extends SamlInputError<SamlXmlErrorCode> {}
