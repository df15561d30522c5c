import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAML, type SamlConfig } from '@node-saml/node-saml';
import { serviceProviderConfig } from '../../helpers/saml-sp.ts';
import { DOMParser } from '@xmldom/xmldom';
import { generateKeyWithCertificate, type KeyWithCertificate } from '../../../src/platform/crypto/certificate.ts';

const metadataNs = 'urn:oasis:names:tc:SAML:2.0:metadata';
const dsigNs = 'http://www.w3.org/2000/09/xmldsig#';

/** A base64 DER certificate (as metadata carries it) as PEM. */
function pemOf(base64: string): string {
  const compact = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${compact.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

/**
 * The IdP's signing certificates with an RSA key, read from its metadata the
 * way a service would: the `use="signing"` KeyDescriptors of the
 * IDPSSODescriptor. Services sign with RSA-SHA256 by default, so those are
 * the ones their messages verify against (the ECDSA one is for services that
 * chose ECDSA).
 */
export function idpRsaSigningCertificates(metadataXml: string): string[] {
  const document = new DOMParser().parseFromString(metadataXml, 'text/xml');
  return Array.from(document.getElementsByTagNameNS(metadataNs, 'IDPSSODescriptor'))
    .flatMap((idp) => Array.from(idp.getElementsByTagNameNS(metadataNs, 'KeyDescriptor')))
    .filter((descriptor) => descriptor.getAttribute('use') === 'signing')
    .flatMap((descriptor) => Array.from(descriptor.getElementsByTagNameNS(dsigNs, 'X509Certificate')))
    .map((element) => pemOf(element.textContent ?? ''))
    .filter((pem) => new X509Certificate(pem).publicKey.asymmetricKeyType === 'rsa');
}

/**
 * A third-party SAML service provider: @node-saml/node-saml with its own
 * signing and encryption keys (RSA-3072), signing its requests, wanting the
 * Response and the assertion signed, checking the issuer, and checking
 * InResponseTo against the requests it sent itself. `view` makes another node-saml instance of the
 * same service (same entityID and keys) with other request options, such
 * as a higher AuthnContext; each instance remembers only its own requests.
 */
export interface SamlPeer {
  entityId: string;
  acs: string;
  slo: string;
  saml: SAML;
  signing: KeyWithCertificate;
  encryption: KeyWithCertificate;
  /** Its SP metadata (node-saml's generateServiceProviderMetadata). */
  metadata: string;
  view(options: Partial<SamlConfig>): SAML;
}

export async function createSamlPeer(o: {
  host: string;
  idpBaseUrl: string;
  idpEntityId: string;
  idpCertificates: string[];
}): Promise<SamlPeer> {
  const entityId = `https://${o.host}/saml`;
  const acs = `https://${o.host}/saml/acs`;
  const slo = `https://${o.host}/saml/slo`;
  const now = new Date();
  const [signing, encryption] = await Promise.all([
    generateKeyWithCertificate('RSA-3072', 'signing', `${o.host} signing`, now),
    generateKeyWithCertificate('RSA-3072', 'encryption', `${o.host} encryption`, now),
  ]);
  const base: SamlConfig = {
    ...serviceProviderConfig({
      entityId,
      acs,
      slo,
      idpBaseUrl: o.idpBaseUrl,
      idpCert: o.idpCertificates,
      signing,
      encryption,
    }),
    idpIssuer: o.idpEntityId,
  };
  const view = (options: Partial<SamlConfig>) => new SAML({ ...base, ...options });
  const saml = view({});
  const metadata = saml.generateServiceProviderMetadata(encryption.certificatePem, signing.certificatePem);
  return { entityId, acs, slo, saml, signing, encryption, metadata, view };
}

/** A plain http server on 127.0.0.1 that serves one document at /md.xml and counts the fetches. */
export async function serveMetadata(
  xml: string,
): Promise<{ url: string; fetches: () => number; close: () => Promise<void> }> {
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/md.xml') {
      response.writeHead(404).end();
      return;
    }
    fetches++;
    response.writeHead(200, { 'content-type': 'application/samlmetadata+xml; charset=utf-8' }).end(xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/md.xml`,
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
