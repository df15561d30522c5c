import { bindings, nameIdFormats, ns } from '../constants.ts';
import { digestMethods, signatureMethods, type SignatureAlgorithmName } from '../../platform/xml/algorithms.ts';
import { nameIdDataAlgorithms, nameIdKeyTransports } from '../logout/encrypted-id.ts';
import { el, type XmlElement } from '../../platform/xml/build.ts';

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
    el(ns.dsig, 'ds:KeyInfo', { 'xmlns:ds': ns.dsig }, [
      el(ns.dsig, 'ds:X509Data', {}, [el(ns.dsig, 'ds:X509Certificate', {}, [certificate])]),
    ]),
    ...(use === 'encryption' ? encryptionMethods() : []),
  ]);

/** SAML V2.0 Metadata Profile for Algorithm Support v1.0 (OASIS, 2010). */
export const algSupportNs = 'urn:oasis:names:tc:SAML:metadata:algsupport';

/** Smallest keys we accept for each family (TR-03116-4; RSA 2048 accepted, 3072 wanted; P-256 and P-384). */
const minKeySize = (alg: SignatureAlgorithmName) => (alg.startsWith('ecdsa-') ? '256' : '2048');

/**
 * What we accept in signatures of requests and logout messages, in our
 * order of preference (algsupport profile §2.3/§2.4: DigestMethod first,
 * then SigningMethod, in md:Extensions of the EntityDescriptor). SHA-1 is
 * absent, so a service that reads this never picks it.
 */
const algorithmSupport = () =>
  el(ns.metadata, 'md:Extensions', {}, [
    ...Object.values(digestMethods).map((uri) =>
      el(algSupportNs, 'alg:DigestMethod', { 'xmlns:alg': algSupportNs, Algorithm: uri }),
    ),
    ...(Object.keys(signatureMethods) as SignatureAlgorithmName[]).map((alg) =>
      el(algSupportNs, 'alg:SigningMethod', {
        'xmlns:alg': algSupportNs,
        Algorithm: signatureMethods[alg],
        MinKeySize: minKeySize(alg),
      }),
    ),
  ]);

/** Encryption a service may use towards us (an EncryptedID in a LogoutRequest), GCM first (saml-metadata §2.4.1.1). */
const encryptionMethods = () =>
  [...nameIdDataAlgorithms, ...nameIdKeyTransports].map((uri) =>
    el(ns.metadata, 'md:EncryptionMethod', { Algorithm: uri }),
  );

/**
 * The IdP's metadata (saml-metadata §2.4.3): signing and encryption keys, SSO
 * and SLO over HTTP-Redirect and HTTP-POST, NameID formats transient and
 * persistent, the algorithms we accept.
 *
 * `WantAuthnRequestsSigned="true"`: the BundID profile wants every request
 * signed (interface 10.2 makes it mandatory for Version 2; PROFILES.md §1),
 * and service stacks that read this attribute (Shibboleth SP, SimpleSAMLphp,
 * pysaml2) then sign without further configuration. Enforcement stays per
 * service: a request must be signed when the service's own metadata says
 * `AuthnRequestsSigned="true"` or it uses the AKDB extension
 * (authn-request/accept.ts); logout messages always.
 */
export function buildIdpMetadata(m: IdpMetadataInput): XmlElement {
  return el(
    ns.metadata,
    'md:EntityDescriptor',
    {
      ID: m.id,
      entityID: m.entityId,
      validUntil: m.validUntil.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      cacheDuration: metadataCacheDuration,
    },
    [
      algorithmSupport(),
      el(
        ns.metadata,
        'md:IDPSSODescriptor',
        { protocolSupportEnumeration: ns.protocol, WantAuthnRequestsSigned: 'true' },
        [
          ...m.signingCertificates.map((c) => keyDescriptor('signing', c)),
          ...m.encryptionCertificates.map((c) => keyDescriptor('encryption', c)),
          el(ns.metadata, 'md:SingleLogoutService', { Binding: bindings.redirect, Location: m.sloUrl }),
          el(ns.metadata, 'md:SingleLogoutService', { Binding: bindings.post, Location: m.sloUrl }),
          el(ns.metadata, 'md:NameIDFormat', {}, [nameIdFormats.transient]),
          el(ns.metadata, 'md:NameIDFormat', {}, [nameIdFormats.persistent]),
          el(ns.metadata, 'md:SingleSignOnService', { Binding: bindings.redirect, Location: m.ssoUrl }),
          el(ns.metadata, 'md:SingleSignOnService', { Binding: bindings.post, Location: m.ssoUrl }),
        ],
      ),
      el(ns.metadata, 'md:Organization', {}, [
        el(ns.metadata, 'md:OrganizationName', { 'xml:lang': 'de' }, [m.organization.name]),
        el(ns.metadata, 'md:OrganizationDisplayName', { 'xml:lang': 'de' }, [m.organization.name]),
        el(ns.metadata, 'md:OrganizationURL', { 'xml:lang': 'de' }, [m.organization.url]),
      ]),
    ],
  );
}
