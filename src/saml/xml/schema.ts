/**
 * Exports:
 * - `validateSamlSchema(xml, kind): Promise<void>` — validates a document
 *   against the vendored OASIS schemas (`schemas/`, see its README); throws
 *   `SamlXmlError('schema')` when invalid. `kind` 'protocol' covers every
 *   samlp message (AuthnRequest, LogoutRequest, LogoutResponse, Response);
 *   'metadata' covers EntityDescriptor.
 * - `SchemaKind`.
 *
 * Call it only on a document `parseSamlXml` accepted (size limits, no
 * DOCTYPE): that is the XXE defence. Here libxml2 parses the same text once
 * more, without network and without external entities, only to validate it.
 *
 * libxml2 (the `libxml2-wasm` build) compiles each schema once, on first use,
 * and keeps it: about 20 ms once, then about 0.05 ms per AuthnRequest
 * (measured 2026-11-27, 2-core machine, Node 24). The earlier xmllint-wasm
 * started a worker and compiled the schemas for every call (85–95 ms), which
 * capped SAML at a few dozen answers per CPU-second (issue 7's profile).
 * The library loads on first use, so a service without SAML traffic does not
 * carry its memory.
 */
import { readFile } from 'node:fs/promises';
import type { XmlDocument as XmlDocumentType, XsdValidator as XsdValidatorType } from 'libxml2-wasm';
import { SamlXmlError } from '../../platform/xml/errors.ts';

export type SchemaKind = 'protocol' | 'metadata';

const entrySchema: Record<SchemaKind, string> = {
  protocol: 'saml-schema-protocol-2.0.xsd',
  metadata: 'saml-schema-metadata-2.0.xsd',
};

const schemaFiles = [
  'saml-schema-protocol-2.0.xsd',
  'saml-schema-assertion-2.0.xsd',
  'saml-schema-metadata-2.0.xsd',
  'xmldsig-core-schema.xsd',
  'xenc-schema.xsd',
  'xml.xsd',
] as const;

/** A URL scheme of our own, so that the schemas' imports resolve to the vendored files and to nothing else. */
const schemaBase = 'servicekonto-schema:/';

interface Validators {
  parse(xml: string): XmlDocumentType;
  validators: Record<SchemaKind, XsdValidatorType>;
  /** libxml2's own refusals (parse, validation, "invalid input"), as opposed to a fault of the machinery. */
  isLibxmlError(error: unknown): boolean;
}

let loading: Promise<Validators> | undefined;

function validators(): Promise<Validators> {
  // A failed start (a missing schema file) is not kept: the next request tries again.
  loading ??= compile().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

let providerRegistered = false;

async function compile(): Promise<Validators> {
  const lib = await import('libxml2-wasm');
  const buffers: Record<string, Uint8Array> = {};
  for (const fileName of schemaFiles) {
    buffers[schemaBase + fileName] = await readFile(new URL(`./schemas/${fileName}`, import.meta.url));
  }
  // The provider answers only for the vendored files; the WebAssembly build has no file system or network of its own.
  // Registered once: libxml2's table of input callbacks is small, and a retried start must not fill it.
  if (!providerRegistered) {
    if (!lib.xmlRegisterInputProvider(new lib.XmlBufferInputProvider(buffers)))
      throw new Error('libxml2 took no input provider for the SAML schemas');
    providerRegistered = true;
  }
  const schemaOptions = lib.ParseOption.XML_PARSE_NONET | lib.ParseOption.XML_PARSE_NO_XXE;
  const compileOne = (kind: SchemaKind): XsdValidatorType => {
    const url = schemaBase + entrySchema[kind];
    const source = buffers[url];
    if (!source) throw new Error(`schema ${entrySchema[kind]} missing`);
    const schemaDoc = lib.XmlDocument.fromBuffer(source, { url, option: schemaOptions });
    try {
      return lib.XsdValidator.fromDoc(schemaDoc);
    } finally {
      schemaDoc.dispose();
    }
  };
  const protocol = compileOne('protocol');
  let metadata: XsdValidatorType;
  try {
    metadata = compileOne('metadata');
  } catch (error) {
    protocol.dispose();
    throw error;
  }
  const messageOptions =
    lib.ParseOption.XML_PARSE_NONET | lib.ParseOption.XML_PARSE_NO_XXE | lib.ParseOption.XML_PARSE_NOWARNING;
  return {
    parse: (xml) => lib.XmlDocument.fromString(xml, { option: messageOptions }),
    validators: { protocol, metadata },
    isLibxmlError: (error) => error instanceof lib.XmlError,
  };
}

/**
 * Validates one document; a document libxml2 cannot parse counts as invalid
 * too, as does one it cannot validate (libxml2's "invalid input or internal
 * error", e.g. an entity reference it did not expand). Anything else (a
 * WebAssembly trap, no memory, a schema that did not compile) is a fault of
 * ours and is thrown as it is, so that it is logged and answered as one,
 * not blamed on the service's message.
 */
export async function validateSamlSchema(xml: string, kind: SchemaKind): Promise<void> {
  const { parse, validators: compiled, isLibxmlError } = await validators();
  let doc: XmlDocumentType;
  try {
    doc = parse(xml);
  } catch (error) {
    if (!isLibxmlError(error)) throw error;
    throw new SamlXmlError('schema', firstMessage(error));
  }
  try {
    compiled[kind].validate(doc);
  } catch (error) {
    if (!isLibxmlError(error)) throw error;
    throw new SamlXmlError('schema', firstMessage(error));
  } finally {
    doc.dispose();
  }
}

function firstMessage(error: unknown): string {
  const details = (error as { details?: { message?: unknown }[] } | null)?.details;
  const message = details?.[0]?.message ?? (error instanceof Error ? error.message : String(error));
  return String(message).trim().slice(0, 200);
}
