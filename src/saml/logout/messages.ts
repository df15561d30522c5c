import { nameIdFormats, ns } from '../constants.ts';
import { attributeOf, childElements, singleChild, textOf } from '../authn-request/elements.ts';
import { el, type XmlElement } from '../../platform/xml/build.ts';

const instant = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const idPattern = /^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/;

export interface LogoutRequestFields {
  id: string;
  issueInstant: Date;
  destination: string | undefined;
  issuer: string;
  notOnOrAfter: Date | undefined;
  /** The NameID in clear, or its `saml:EncryptedID` to decrypt (saml-core §3.7.1: BaseID, NameID or EncryptedID). */
  nameId: { clear: string } | { encrypted: Element };
  sessionIndexes: string[];
}

export interface LogoutResponseFields {
  id: string;
  issueInstant: Date;
  destination: string | undefined;
  issuer: string;
  inResponseTo: string;
  statusCode: string;
}

type Read<T> = { ok: true; fields: T } | { ok: false; problem: string };

function common(
  document: Document,
  localName: string,
): Read<{ root: Element; id: string; issueInstant: Date; destination: string | undefined; issuer: string }> {
  const root = document.documentElement;
  if (!root || root.namespaceURI !== ns.protocol || root.localName !== localName)
    return { ok: false, problem: 'wrong_message' };
  if (root.getAttribute('Version') !== '2.0') return { ok: false, problem: 'version' };
  const id = root.getAttribute('ID') ?? '';
  if (!idPattern.test(id)) return { ok: false, problem: 'id' };
  const issueInstant = new Date(root.getAttribute('IssueInstant') ?? '');
  if (Number.isNaN(issueInstant.getTime())) return { ok: false, problem: 'issue_instant' };
  const issuer = singleChild(root, ns.assertion, 'Issuer');
  if (!issuer || issuer === 'many' || textOf(issuer) === '') return { ok: false, problem: 'issuer' };
  return {
    ok: true,
    fields: { root, id, issueInstant, destination: attributeOf(root, 'Destination'), issuer: textOf(issuer) },
  };
}

/** A LogoutRequest from a service (saml-core §3.7.1): whose session, which session indexes. */
export function readLogoutRequest(document: Document): Read<LogoutRequestFields> {
  const base = common(document, 'LogoutRequest');
  if (!base.ok) return base;
  const { root, ...rest } = base.fields;
  const clear = singleChild(root, ns.assertion, 'NameID');
  const encrypted = singleChild(root, ns.assertion, 'EncryptedID');
  if (clear === 'many' || encrypted === 'many' || (clear === undefined) === (encrypted === undefined))
    return { ok: false, problem: 'name_id' };
  const nameId = clear ? { clear: textOf(clear) } : { encrypted: encrypted as Element };
  const until = attributeOf(root, 'NotOnOrAfter');
  const notOnOrAfter = until === undefined ? undefined : new Date(until);
  if (notOnOrAfter && Number.isNaN(notOnOrAfter.getTime())) return { ok: false, problem: 'not_on_or_after' };
  return {
    ok: true,
    fields: {
      ...rest,
      notOnOrAfter,
      nameId,
      sessionIndexes: childElements(root, ns.protocol, 'SessionIndex').map(textOf),
    },
  };
}

/** A LogoutResponse from a service, to a LogoutRequest of ours. */
export function readLogoutResponse(document: Document): Read<LogoutResponseFields> {
  const base = common(document, 'LogoutResponse');
  if (!base.ok) return base;
  const { root, ...rest } = base.fields;
  const inResponseTo = attributeOf(root, 'InResponseTo');
  if (!inResponseTo) return { ok: false, problem: 'in_response_to' };
  const statusElement = singleChild(root, ns.protocol, 'Status');
  const code =
    statusElement && statusElement !== 'many' ? singleChild(statusElement, ns.protocol, 'StatusCode') : undefined;
  if (!code || code === 'many') return { ok: false, problem: 'status' };
  return { ok: true, fields: { ...rest, inResponseTo, statusCode: code.getAttribute('Value') ?? '' } };
}

/** Our LogoutRequest to a service that took part in the session (saml-core §3.7.1). */
export function buildLogoutRequest(r: {
  id: string;
  issuer: string;
  destination: string;
  now: Date;
  nameId: string;
  nameIdFormat: string;
  spEntityId: string;
  sessionIndex: string;
}): XmlElement {
  const persistent = r.nameIdFormat === nameIdFormats.persistent || r.nameIdFormat === 'persistent';
  return el(
    ns.protocol,
    'samlp:LogoutRequest',
    {
      'xmlns:saml': ns.assertion,
      ID: r.id,
      Version: '2.0',
      IssueInstant: instant(r.now),
      Destination: r.destination,
      NotOnOrAfter: instant(new Date(r.now.getTime() + 5 * 60 * 1000)),
    },
    [
      el(ns.assertion, 'saml:Issuer', {}, [r.issuer]),
      el(
        ns.assertion,
        'saml:NameID',
        {
          Format: persistent ? nameIdFormats.persistent : nameIdFormats.transient,
          ...(persistent ? { NameQualifier: r.issuer, SPNameQualifier: r.spEntityId } : {}),
        },
        [r.nameId],
      ),
      el(ns.protocol, 'samlp:SessionIndex', {}, [r.sessionIndex]),
    ],
  );
}

/** Our LogoutResponse to a service's LogoutRequest. */
export function buildLogoutResponse(r: {
  id: string;
  issuer: string;
  destination: string;
  now: Date;
  inResponseTo: string;
  statusCode: string;
  subStatusCode?: string | undefined;
}): XmlElement {
  return el(
    ns.protocol,
    'samlp:LogoutResponse',
    {
      'xmlns:saml': ns.assertion,
      ID: r.id,
      Version: '2.0',
      IssueInstant: instant(r.now),
      Destination: r.destination,
      InResponseTo: r.inResponseTo,
    },
    [
      el(ns.assertion, 'saml:Issuer', {}, [r.issuer]),
      el(ns.protocol, 'samlp:Status', {}, [
        el(ns.protocol, 'samlp:StatusCode', { Value: r.statusCode }, [
          r.subStatusCode ? el(ns.protocol, 'samlp:StatusCode', { Value: r.subStatusCode }) : null,
        ]),
      ]),
    ],
  );
}
