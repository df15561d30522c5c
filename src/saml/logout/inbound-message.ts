import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { decodeRedirectMessage, readRedirectQuery, type RedirectQuery } from '../bindings/redirect.ts';
import { readPostMessage } from '../post-page.ts';
import { ns } from '../constants.ts';
import { singleChild, textOf } from '../authn-request/elements.ts';
import { rawQuery } from '../inbound.ts';
import { isSigned, verifySignedMessage } from '../crypto/verify-element.ts';
import { verifyRedirectSignature } from '../crypto/verify-query.ts';
import { pemOf } from '../response/issue.ts';
import { SamlInputError, SamlXmlError } from '../../platform/xml/errors.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { SamlAlgorithmError } from '../crypto/errors.ts';
import { refuseAlgorithm, refuseMessage } from '../refusal.ts';
import type { SamlService } from '../../services/service-repository.ts';

/** A logout message as it arrived, before any check. */
export interface Inbound {
  xml: string;
  parameter: 'SAMLRequest' | 'SAMLResponse';
  relayState: string | undefined;
  /** HTTP-Redirect: the query, whose signature covers the message. */
  query: RedirectQuery | undefined;
}

export const invalid = (detail: string, entityId?: string): never => refuseMessage('logout', detail, entityId);

/**
 * The message as the signature covers it: for POST the re-parsed signed content, for Redirect the
 * whole (query-signed) document. Unsigned only from a service that does not sign (its metadata's
 * AuthnRequestsSigned): `signed: false` must then be bound to this browser (browser-bound.ts).
 */
export async function verifiedLogoutMessage(
  app: AppContext,
  inbound: Inbound,
  issuerOf: (document: Document) => string | undefined,
): Promise<{ service: SamlService; document: Document; signed: boolean }> {
  let document: Document;
  try {
    document = parseSamlXml(inbound.xml);
    await validateSamlSchema(inbound.xml, 'protocol');
  } catch (error) {
    // Only the XML layer's refusals are the message's fault; anything else is ours and goes on as a 500.
    if (!(error instanceof SamlXmlError)) throw error;
    return invalid(`saml-logout-malformed:${(error as { code?: string }).code ?? 'schema'}`);
  }
  const issuer = issuerOf(document);
  const service = issuer ? await app.services.samlById(issuer) : undefined;
  if (!service) return invalid('issuer-unknown', issuer);
  const unsigned = () =>
    service.config.authnRequestsSigned
      ? invalid('saml-logout-not-signed', service.id)
      : { service, document, signed: false };
  const certificates = service.config.signingCertificates.map(pemOf);
  if (inbound.query !== undefined) {
    // saml-bindings §3.4.4.1: over HTTP-Redirect the signature is on the query, never in the XML.
    if (isSigned(inbound.xml)) return invalid('saml-logout-not-signed', service.id);
    if (inbound.query.signature === undefined) return unsigned();
    try {
      verifyRedirectSignature(inbound.query, certificates);
    } catch (error) {
      return error instanceof SamlAlgorithmError
        ? refuseAlgorithm('logout', error, service.id)
        : invalid('saml-logout-signature-invalid', service.id);
    }
    return { service, document, signed: true };
  }
  try {
    return { service, document: verifySignedMessage(inbound.xml, certificates).document, signed: true };
  } catch (error) {
    if (error instanceof SamlAlgorithmError) return refuseAlgorithm('logout', error, service.id);
    if (error instanceof SamlInputError && error.code === 'unsigned') return unsigned();
    return invalid('saml-logout-signature-invalid', service.id);
  }
}

export const issuerText = (document: Document) => {
  const issuer = document.documentElement ? singleChild(document.documentElement, ns.assertion, 'Issuer') : undefined;
  return issuer && issuer !== 'many' ? textOf(issuer) : undefined;
};

/** A logout message over HTTP-Redirect (saml-bindings §3.4). */
export function inboundFromQuery(request: FastifyRequest): Inbound {
  try {
    const query = readRedirectQuery(rawQuery(request));
    return { xml: decodeRedirectMessage(query.message), parameter: query.kind, relayState: query.relayState, query };
  } catch (error) {
    return invalid(`saml-logout-${(error as { code?: string }).code ?? 'encoding'}`);
  }
}

/** A logout message over HTTP-POST (saml-bindings §3.5). */
export function inboundFromBody(request: FastifyRequest): Inbound {
  try {
    const { kind, message, relayState } = readPostMessage(request.body, 'either');
    return { xml: message, parameter: kind, relayState, query: undefined };
  } catch (error) {
    return invalid(`saml-logout-${(error as { code?: string }).code ?? 'encoding'}`);
  }
}
