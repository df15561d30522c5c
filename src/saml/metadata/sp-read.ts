import { X509Certificate } from 'node:crypto';
import type { SamlServiceConfig } from '../../services/service-repository.ts';
import { bindings, ns } from '../constants.ts';
import { attributeOf, booleanAttribute, childElements, singleChild, textOf } from '../authn-request/elements.ts';
import { knownAttributeNames } from '../profile/attributes.ts';

/**
 * What `sp add` takes from a service provider's metadata (saml-metadata §2.4.4); our per-service choices come from the
 * operator.
 */
export type SpMetadata = Pick<
  SamlServiceConfig,
  | 'entityId'
  | 'acs'
  | 'singleLogout'
  | 'signingCertificates'
  | 'encryptionCertificates'
  | 'encryptionMethods'
  | 'authnRequestsSigned'
  | 'nameIdFormats'
  | 'metadataAttributes'
> & {
  organizationName: string | undefined;
};

export type SpMetadataResult = { ok: true; metadata: SpMetadata; warnings: string[] } | { ok: false; problem: string };

/** Endpoints must be https; plain http only for localhost outside production (development and tests). */
function endpointAllowed(url: string, production: boolean): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:') return true;
    return !production && parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  } catch {
    return false;
  }
}

/**
 * An entityID is https without a port (PROFILES.md §1; http://localhost
 * only outside production). A URN entityID has no host and is refused. The
 * pseudonym sector is its ACS host, checked against it by `sp add`.
 */
function entityIdAllowed(entityId: string, production: boolean): boolean {
  try {
    const url = new URL(entityId);
    if (url.protocol === 'https:' && url.port === '') return true;
    return !production && url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** Minimum RSA size: 2048 bits accepted, 3072 wanted (BSI TR-03116-4). */
function checkCertificate(base64: string, warnings: string[]): string | undefined {
  const compact = base64.replace(/\s+/g, '');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(compact, 'base64'));
  } catch {
    return 'certificate';
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) return 'certificate_key_too_small';
    if (bits < 3072) warnings.push(`an RSA key of ${bits} bits: BSI TR-03116-4 asks for 3072`);
  } else if (key.asymmetricKeyType !== 'ec') {
    return 'certificate_key_type';
  }
  return compact;
}

const uriFormat = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/**
 * The attributes of the default (else the first) AttributeConsumingService
 * (saml-metadata §2.4.4.1), by Name only, never by FriendlyName (PROFILES.md
 * §1). Names outside the profile are left out with a warning; undefined
 * when the metadata has no such element.
 */
function requestedAttributesOf(sp: Element, warnings: string[]): string[] | undefined {
  const services = childElements(sp, ns.metadata, 'AttributeConsumingService');
  const chosen = services.find((s) => booleanAttribute(s, 'isDefault') === true) ?? services[0];
  if (!chosen) return undefined;
  const names: string[] = [];
  for (const requested of childElements(chosen, ns.metadata, 'RequestedAttribute')) {
    const name = (requested.getAttribute('Name') ?? '').trim();
    const format = attributeOf(requested, 'NameFormat');
    if (knownAttributeNames.has(name) && (format === undefined || format === uriFormat)) {
      if (!names.includes(name)) names.push(name);
    } else {
      warnings.push(
        `the metadata asks for the attribute ${name.slice(0, 100)}, which the profile does not define; it is left out`,
      );
    }
  }
  return names;
}

/** Reads one SP's metadata: exactly one EntityDescriptor with exactly one SPSSODescriptor. */
export function readSpMetadata(document: Document, options: { production: boolean }): SpMetadataResult {
  const root = document.documentElement;
  if (!root || root.namespaceURI !== ns.metadata) return { ok: false, problem: 'not_metadata' };
  // An aggregate could carry several services; registering "the one in it" would be a guess.
  if (root.localName !== 'EntityDescriptor') return { ok: false, problem: 'not_one_entity' };
  const entityId = root.getAttribute('entityID') ?? '';
  if (!entityIdAllowed(entityId, options.production)) return { ok: false, problem: 'entity_id' };
  const sp = singleChild(root, ns.metadata, 'SPSSODescriptor');
  if (!sp || sp === 'many') return { ok: false, problem: 'sp_descriptor' };
  if (!(sp.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(ns.protocol))
    return { ok: false, problem: 'protocol' };
  const warnings: string[] = [];

  const signingCertificates: string[] = [];
  const encryptionCertificates: string[] = [];
  const encryptionMethods: string[] = [];
  for (const descriptor of childElements(sp, ns.metadata, 'KeyDescriptor')) {
    const use = descriptor.getAttribute('use') ?? '';
    const keyInfo = singleChild(descriptor, ns.dsig, 'KeyInfo');
    const data = keyInfo && keyInfo !== 'many' ? singleChild(keyInfo, ns.dsig, 'X509Data') : undefined;
    const certificates = data && data !== 'many' ? childElements(data, ns.dsig, 'X509Certificate') : [];
    for (const element of certificates) {
      const checked = checkCertificate(textOf(element), warnings);
      if (
        checked === undefined ||
        ['certificate', 'certificate_key_too_small', 'certificate_key_type'].includes(checked)
      )
        return { ok: false, problem: checked ?? 'certificate' };
      // A KeyDescriptor without `use` serves both (saml-metadata §2.4.1.1).
      if (use === '' || use === 'signing') signingCertificates.push(checked);
      if (use === '' || use === 'encryption') encryptionCertificates.push(checked);
    }
    for (const method of childElements(descriptor, ns.metadata, 'EncryptionMethod')) {
      const algorithm = method.getAttribute('Algorithm');
      if (algorithm) encryptionMethods.push(algorithm);
    }
  }

  const acs: SpMetadata['acs'] = [];
  for (const endpoint of childElements(sp, ns.metadata, 'AssertionConsumerService')) {
    // The Response always goes by POST (PROFILES.md §1); other bindings are left out, not refused.
    if (endpoint.getAttribute('Binding') !== bindings.post) continue;
    const url = endpoint.getAttribute('Location') ?? '';
    if (!endpointAllowed(url, options.production)) return { ok: false, problem: 'acs_url' };
    const index = attributeOf(endpoint, 'index');
    const isDefault = booleanAttribute(endpoint, 'isDefault');
    if (index !== undefined && !/^\d{1,5}$/.test(index)) return { ok: false, problem: 'acs_index' };
    acs.push({ url, index: index === undefined ? undefined : Number(index), isDefault: isDefault === true });
  }
  if (acs.length === 0) return { ok: false, problem: 'no_post_acs' };

  const singleLogout: SpMetadata['singleLogout'] = [];
  for (const endpoint of childElements(sp, ns.metadata, 'SingleLogoutService')) {
    const binding = endpoint.getAttribute('Binding');
    if (binding !== bindings.redirect && binding !== bindings.post) continue;
    const url = endpoint.getAttribute('Location') ?? '';
    const responseUrl = attributeOf(endpoint, 'ResponseLocation');
    if (
      !endpointAllowed(url, options.production) ||
      (responseUrl !== undefined && !endpointAllowed(responseUrl, options.production))
    )
      return { ok: false, problem: 'slo_url' };
    singleLogout.push({ binding: binding === bindings.redirect ? 'redirect' : 'post', url, responseUrl });
  }

  const authnRequestsSigned = booleanAttribute(sp, 'AuthnRequestsSigned');
  if (authnRequestsSigned === 'invalid') return { ok: false, problem: 'boolean' };
  if (authnRequestsSigned === true && signingCertificates.length === 0)
    return { ok: false, problem: 'signed_requests_without_key' };
  const nameIdFormats = childElements(sp, ns.metadata, 'NameIDFormat').map(textOf);
  const organization = singleChild(root, ns.metadata, 'Organization');
  const displayName =
    organization && organization !== 'many'
      ? childElements(organization, ns.metadata, 'OrganizationDisplayName')[0]
      : undefined;
  return {
    ok: true,
    warnings,
    metadata: {
      entityId,
      acs,
      singleLogout,
      signingCertificates,
      encryptionCertificates,
      encryptionMethods,
      authnRequestsSigned: authnRequestsSigned === true,
      nameIdFormats,
      metadataAttributes: requestedAttributesOf(sp, warnings),
      organizationName: displayName ? textOf(displayName).slice(0, 200) : undefined,
    },
  };
}
