import { bindings, nameIdFormats, ns } from '../constants.ts';
import { el, type XmlElement } from '../xml/build.ts';

export interface IdpMetadataInput {
  id: string;
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  /** Base64 DER; during a rotation both the old and the new ones. */
  signingCertificates: readonly string[];
  encryptionCertificates: readonly string[];
  validUntil: Date;
  organization: { name: string; url: string };
}

/** How long a service may cache our metadata before fetching it again. */
export const metadataCacheDuration = 'PT6H';

const keyDescriptor = (use: 'signing' | 'encryption', certificate: string) =>
  el(ns.metadata, 'md:KeyDescriptor', { use }, [
    el(ns.dsig, 'ds:KeyInfo', { 'xmlns:ds': ns.dsig }, [el(ns.dsig, 'ds:X509Data', {}, [el(ns.dsig, 'ds:X509Certificate', {}, [certificate])])]),
  ]);

/**
 * The IdP's metadata (saml-metadata §2.4.3): signing and encryption keys, SSO
 * and SLO over HTTP-Redirect and HTTP-POST, NameID formats transient and
 * persistent. Signed requests are asked for per service, not globally, so
 * `WantAuthnRequestsSigned` stays false here.
 */
export function buildIdpMetadata(m: IdpMetadataInput): XmlElement {
  return el(ns.metadata, 'md:EntityDescriptor', { ID: m.id, entityID: m.entityId, validUntil: m.validUntil.toISOString().replace(/\.\d{3}Z$/, 'Z'), cacheDuration: metadataCacheDuration }, [
    el(ns.metadata, 'md:IDPSSODescriptor', { protocolSupportEnumeration: ns.protocol, WantAuthnRequestsSigned: 'false' }, [
      ...m.signingCertificates.map((c) => keyDescriptor('signing', c)),
      ...m.encryptionCertificates.map((c) => keyDescriptor('encryption', c)),
      el(ns.metadata, 'md:SingleLogoutService', { Binding: bindings.redirect, Location: m.sloUrl }),
      el(ns.metadata, 'md:SingleLogoutService', { Binding: bindings.post, Location: m.sloUrl }),
      el(ns.metadata, 'md:NameIDFormat', {}, [nameIdFormats.transient]),
      el(ns.metadata, 'md:NameIDFormat', {}, [nameIdFormats.persistent]),
      el(ns.metadata, 'md:SingleSignOnService', { Binding: bindings.redirect, Location: m.ssoUrl }),
      el(ns.metadata, 'md:SingleSignOnService', { Binding: bindings.post, Location: m.ssoUrl }),
    ]),
    el(ns.metadata, 'md:Organization', {}, [
      el(ns.metadata, 'md:OrganizationName', { 'xml:lang': 'de' }, [m.organization.name]),
      el(ns.metadata, 'md:OrganizationDisplayName', { 'xml:lang': 'de' }, [m.organization.name]),
      el(ns.metadata, 'md:OrganizationURL', { 'xml:lang': 'de' }, [m.organization.url]),
    ]),
  ]);
}
