import { randomBytes } from 'node:crypto';
import type { Level } from '../../session/limits.ts';
import { attributeNameFormat, bearer, nameIdFormats, ns } from '../constants.ts';
import { classRefFor, type Vocabulary } from '../profile/authn-context.ts';
import { trustLevelName, type ReleasedAttribute } from '../profile/attributes.ts';
import { el, type XmlChild, type XmlElement, type XmlFragment } from '../../platform/xml/build.ts';

/** Assertions are valid five minutes (PROFILES.md §1); the window opens 30 s early for clock skew between servers. */
export const assertionLifetimeSeconds = 5 * 60;
const skewSeconds = 30;

/** xs:ID values: an underscore and 32 hex characters (an NCName, 128 random bits). */
export function newSamlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

const instant = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface AssertionInput {
  id: string;
  issuer: string;
  audience: string;
  recipient: string;
  inResponseTo: string;
  now: Date;
  nameId: string;
  nameIdFormat: 'transient' | 'persistent';
  authnInstant: Date;
  sessionIndex: string;
  sessionNotOnOrAfter: Date;
  level: Level;
  vocabulary: Vocabulary;
  attributes: readonly ReleasedAttribute[];
}

/**
 * The assertion of a successful login (saml-core §2.3.3, profiles §4.1.4.2):
 * bearer confirmation bound to the request and the ACS, audience, a
 * five-minute window, the level actually reached, and each attribute with
 * its own trust level (`akdb:TrustLevel`, PROFILES.md §1).
 */
export function buildAssertion(a: AssertionInput): XmlElement {
  const until = instant(new Date(a.now.getTime() + assertionLifetimeSeconds * 1000));
  const persistent = a.nameIdFormat === 'persistent';
  const attributes: XmlChild =
    a.attributes.length === 0
      ? null
      : el(
          ns.assertion,
          'saml:AttributeStatement',
          {},
          a.attributes.map((attribute) =>
            el(
              ns.assertion,
              'saml:Attribute',
              {
                Name: attribute.name,
                NameFormat: attributeNameFormat,
                'akdb:TrustLevel': trustLevelName[attribute.trustLevel],
              },
              [el(ns.assertion, 'saml:AttributeValue', { 'xsi:type': 'xs:string' }, [attribute.value])],
            ),
          ),
        );
  return el(
    ns.assertion,
    'saml:Assertion',
    {
      'xmlns:xs': ns.xs,
      'xmlns:xsi': ns.xsi,
      'xmlns:akdb': ns.akdb,
      ID: a.id,
      Version: '2.0',
      IssueInstant: instant(a.now),
    },
    [
      el(ns.assertion, 'saml:Issuer', {}, [a.issuer]),
      el(ns.assertion, 'saml:Subject', {}, [
        el(
          ns.assertion,
          'saml:NameID',
          {
            Format: persistent ? nameIdFormats.persistent : nameIdFormats.transient,
            ...(persistent ? { NameQualifier: a.issuer, SPNameQualifier: a.audience } : {}),
          },
          [a.nameId],
        ),
        el(ns.assertion, 'saml:SubjectConfirmation', { Method: bearer }, [
          el(ns.assertion, 'saml:SubjectConfirmationData', {
            InResponseTo: a.inResponseTo,
            NotOnOrAfter: until,
            Recipient: a.recipient,
          }),
        ]),
      ]),
      el(
        ns.assertion,
        'saml:Conditions',
        { NotBefore: instant(new Date(a.now.getTime() - skewSeconds * 1000)), NotOnOrAfter: until },
        [el(ns.assertion, 'saml:AudienceRestriction', {}, [el(ns.assertion, 'saml:Audience', {}, [a.audience])])],
      ),
      el(
        ns.assertion,
        'saml:AuthnStatement',
        {
          AuthnInstant: instant(a.authnInstant),
          SessionIndex: a.sessionIndex,
          SessionNotOnOrAfter: instant(a.sessionNotOnOrAfter),
        },
        [
          el(ns.assertion, 'saml:AuthnContext', {}, [
            el(ns.assertion, 'saml:AuthnContextClassRef', {}, [classRefFor(a.level, a.vocabulary)]),
          ]),
        ],
      ),
      attributes,
    ],
  );
}

export interface ResponseInput {
  id: string;
  issuer: string;
  destination: string;
  inResponseTo: string;
  now: Date;
  status: { code: string; subCode?: string | undefined; message?: string | undefined };
  /** The signed (and usually encrypted) assertion, already serialized. */
  /** A signed assertion (parsed), or the element of an encrypted one. */
  assertion?: XmlFragment | XmlElement | undefined;
}

/** The Response around it (saml-core §3.2.2); on an error it carries the status only. */
export function buildResponse(r: ResponseInput): XmlElement {
  const code = el(ns.protocol, 'samlp:StatusCode', { Value: r.status.code }, [
    r.status.subCode ? el(ns.protocol, 'samlp:StatusCode', { Value: r.status.subCode }) : null,
  ]);
  return el(
    ns.protocol,
    'samlp:Response',
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
        code,
        r.status.message ? el(ns.protocol, 'samlp:StatusMessage', {}, [r.status.message]) : null,
      ]),
      r.assertion ?? null,
    ],
  );
}
