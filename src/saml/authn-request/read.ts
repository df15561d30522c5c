import { nameIdFormats, ns, bindings } from '../constants.ts';
import { attributeOf, booleanAttribute, childElements, singleChild, textOf } from './elements.ts';

/** An AuthnRequest as the profile reads it (saml-core §3.4.1, PROFILES.md §1). */
export interface AuthnRequestFields {
  id: string;
  issueInstant: Date;
  destination: string | undefined;
  issuer: string;
  acsUrl: string | undefined;
  acsIndex: number | undefined;
  forceAuthn: boolean;
  isPassive: boolean;
  nameIdFormat: 'transient' | 'persistent' | 'unsupported';
  classRefs: string[];
  comparison: string | undefined;
  akdb: AkdbRequest | undefined;
}

/** The AKDB extension BundID services send (PROFILES.md §1). */
export interface AkdbRequest {
  version: string;
  /** Method names with Enabled=true (`Benutzername`, `eID`, …). */
  enabledMethods: string[] | undefined;
  requestedAttributes: { name: string; required: boolean }[] | undefined;
  display:
    | {
        organizationDisplayName: string | undefined;
        lang: string | undefined;
        backUrl: string | undefined;
        onlineServiceId: string | undefined;
      }
    | undefined;
}

export type ReadResult = { ok: true; fields: AuthnRequestFields } | { ok: false; problem: string };

const limits = {
  id: 256,
  issuer: 1024,
  url: 2048,
  classRef: 256,
  attributeName: 256,
  displayName: 200,
  onlineServiceId: 100,
};

/** SAML ids are xs:ID (an NCName); we also cap their length. */
const idPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function readAkdb(extensions: Element): AkdbRequest | undefined | string {
  const request = singleChild(extensions, ns.akdb, 'AuthenticationRequest');
  if (request === undefined) return undefined;
  if (request === 'many') return 'akdb_duplicate';
  const version = request.getAttribute('Version') ?? '';
  let enabledMethods: string[] | undefined;
  const methods = singleChild(request, ns.akdb, 'AuthnMethods');
  if (methods === 'many') return 'akdb_duplicate';
  if (methods) {
    enabledMethods = [];
    for (let node = methods.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== 1 || (node as Element).namespaceURI !== ns.akdb) continue;
      const enabled = singleChild(node as Element, ns.akdb, 'Enabled');
      if (enabled === 'many') return 'akdb_duplicate';
      if (enabled && textOf(enabled) === 'true') enabledMethods.push((node as Element).localName ?? '');
    }
  }
  let requestedAttributes: AkdbRequest['requestedAttributes'];
  const attributes = singleChild(request, ns.akdb, 'RequestedAttributes');
  if (attributes === 'many') return 'akdb_duplicate';
  if (attributes) {
    requestedAttributes = [];
    for (const attribute of childElements(attributes, ns.akdb, 'RequestedAttribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      if (name === '' || name.length > limits.attributeName) return 'akdb_attribute_name';
      const required = booleanAttribute(attribute, 'RequiredAttribute');
      if (required === 'invalid') return 'akdb_attribute_required';
      if (!requestedAttributes.some((a) => a.name === name))
        requestedAttributes.push({ name, required: required === true });
    }
  }
  let display: AkdbRequest['display'];
  const info = singleChild(request, ns.akdb, 'DisplayInformation');
  if (info === 'many') return 'akdb_duplicate';
  if (info) {
    const version = singleChild(info, ns.classicUi, 'Version');
    if (version === 'many') return 'akdb_duplicate';
    const field = (...names: string[]) => {
      for (const name of names) {
        const element = version ? singleChild(version, ns.classicUi, name) : undefined;
        if (element === 'many') return 'many';
        if (element) return textOf(element);
      }
      return undefined;
    };
    const organizationDisplayName = field('OrganizationDisplayName');
    const lang = field('Lang');
    const backUrl = field('BackURL');
    // One integration spells it OnlineServiceID; both are read.
    const onlineServiceId = field('OnlineServiceId', 'OnlineServiceID');
    if ([organizationDisplayName, lang, backUrl, onlineServiceId].includes('many')) return 'akdb_duplicate';
    if ((organizationDisplayName?.length ?? 0) > limits.displayName) return 'akdb_display_name';
    if (onlineServiceId !== undefined && !/^[A-Za-z0-9._:-]{1,100}$/.test(onlineServiceId))
      return 'akdb_online_service_id';
    display = { organizationDisplayName, lang, backUrl, onlineServiceId };
  }
  return { version, enabledMethods, requestedAttributes, display };
}

/** Reads the fields of a (signature-checked, schema-valid) AuthnRequest; refuses what the profile does not allow. */
export function readAuthnRequest(document: Document): ReadResult {
  const root = document.documentElement;
  if (!root || root.namespaceURI !== ns.protocol || root.localName !== 'AuthnRequest')
    return { ok: false, problem: 'not_authn_request' };
  if (root.getAttribute('Version') !== '2.0') return { ok: false, problem: 'version' };
  const id = root.getAttribute('ID') ?? '';
  if (id.length > limits.id || !idPattern.test(id)) return { ok: false, problem: 'id' };
  const issueInstant = new Date(root.getAttribute('IssueInstant') ?? '');
  if (Number.isNaN(issueInstant.getTime())) return { ok: false, problem: 'issue_instant' };
  const issuerElement = singleChild(root, ns.assertion, 'Issuer');
  if (!issuerElement || issuerElement === 'many') return { ok: false, problem: 'issuer' };
  const issuer = textOf(issuerElement);
  if (issuer === '' || issuer.length > limits.issuer) return { ok: false, problem: 'issuer' };
  // saml-core §3.4.1: a Subject in the request would let the service pick who logs in.
  if (childElements(root, ns.assertion, 'Subject').length > 0) return { ok: false, problem: 'subject' };
  const binding = attributeOf(root, 'ProtocolBinding');
  if (binding !== undefined && binding !== bindings.post) return { ok: false, problem: 'protocol_binding' };
  const acsUrl = attributeOf(root, 'AssertionConsumerServiceURL');
  if ((acsUrl?.length ?? 0) > limits.url) return { ok: false, problem: 'acs_url' };
  const acsIndexRaw = attributeOf(root, 'AssertionConsumerServiceIndex');
  const acsIndex = acsIndexRaw !== undefined ? (/^\d{1,5}$/.test(acsIndexRaw) ? Number(acsIndexRaw) : -1) : undefined;
  if (acsIndex !== undefined && (!Number.isInteger(acsIndex) || acsIndex < 0 || acsIndex > 65535))
    return { ok: false, problem: 'acs_index' };
  const forceAuthn = booleanAttribute(root, 'ForceAuthn');
  const isPassive = booleanAttribute(root, 'IsPassive');
  if (forceAuthn === 'invalid' || isPassive === 'invalid') return { ok: false, problem: 'boolean' };

  let nameIdFormat: AuthnRequestFields['nameIdFormat'] = 'transient';
  const policy = singleChild(root, ns.protocol, 'NameIDPolicy');
  if (policy === 'many') return { ok: false, problem: 'duplicate' };
  const format = policy ? attributeOf(policy, 'Format') : undefined;
  if (format === nameIdFormats.persistent) nameIdFormat = 'persistent';
  else if (format && format !== nameIdFormats.transient && format !== nameIdFormats.unspecified)
    nameIdFormat = 'unsupported';

  const context = singleChild(root, ns.protocol, 'RequestedAuthnContext');
  if (context === 'many') return { ok: false, problem: 'duplicate' };
  const classRefs = context
    ? childElements(context, ns.assertion, 'AuthnContextClassRef')
        .map(textOf)
        .filter((v) => v.length <= limits.classRef)
    : [];

  let akdb: AkdbRequest | undefined;
  const extensions = singleChild(root, ns.protocol, 'Extensions');
  if (extensions === 'many') return { ok: false, problem: 'duplicate' };
  if (extensions) {
    const read = readAkdb(extensions);
    if (typeof read === 'string') return { ok: false, problem: read };
    akdb = read;
  }
  return {
    ok: true,
    fields: {
      id,
      issueInstant,
      destination: attributeOf(root, 'Destination'),
      issuer,
      acsUrl,
      acsIndex,
      forceAuthn: forceAuthn === true,
      isPassive: isPassive === true,
      nameIdFormat,
      classRefs,
      comparison: context ? attributeOf(context, 'Comparison') : undefined,
      akdb,
    },
  };
}
