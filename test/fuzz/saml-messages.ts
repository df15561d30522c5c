/**
 * SAML messages for /saml/sso and /saml/slo, as data: mostly garbage at the
 * binding layer (base64, DEFLATE, bombs, RelayState, SigAlg, Signature,
 * duplicated parameters), some well-formed AuthnRequests, LogoutRequests
 * and LogoutResponses from templates with random field values and damage
 * to the XML (comments in the Issuer, DOCTYPEs, duplicated or missing
 * elements, wrapped signed elements), signed with the test service
 * provider's key so that the checks after the signature run too.
 *
 * Well-formed XML is few on purpose: every document that parses costs a
 * schema validation of about 150 ms (saml/xml/schema.ts).
 */
import { createHash, createSign, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { signRootElement } from '../../src/saml/crypto/sign-element.ts';
import { encode, type Resolver, type Text, resolve } from './request.ts';
import { either } from './inputs.ts';
import { garbageBytes, hostile } from './values.ts';

const ns = { samlp: 'urn:oasis:names:tc:SAML:2.0:protocol', saml: 'urn:oasis:names:tc:SAML:2.0:assertion' };
const spEntity = 'https://service.example/saml';
const sigAlgs = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  ecdsa: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  hmac: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
};

export type MessageKind = 'AuthnRequest' | 'LogoutRequest' | 'LogoutResponse';

/** Placeholders filled when the request is sent: a new ID, the clock's time, the live participation. */
const placeholders = { id: '⟦ID⟧', now: '⟦NOW⟧', nameId: '⟦NAMEID⟧', sessionIndex: '⟦SESSIONINDEX⟧' };

interface Fields {
  id: string;
  instant: string;
  issuer: string;
  destination: string | undefined;
  extra: string;
}

const attr = (name: string, value: string | undefined) =>
  value === undefined
    ? ''
    : ` ${name}="${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')}"`;
const text = (value: string) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

function template(
  kind: MessageKind,
  f: Fields,
  o: {
    acs?: string;
    binding?: string;
    nameIdFormat?: string;
    classRef?: string;
    comparison?: string;
    akdb?: boolean;
    nameId?: string;
    sessionIndex?: string;
    status?: string;
    inResponseTo?: string;
  },
): string {
  const issuer = `<saml:Issuer xmlns:saml="${ns.saml}">${text(f.issuer)}</saml:Issuer>`;
  const head = `ID="${f.id}" Version="2.0" IssueInstant="${f.instant}"${attr('Destination', f.destination)}`;
  if (kind === 'AuthnRequest') {
    const akdb = o.akdb
      ? `<samlp:Extensions><akdb:AuthenticationRequest xmlns:akdb="https://www.akdb.de/request/2018/09" Version="2"><akdb:AuthnMethods><akdb:eID><akdb:Enabled>true</akdb:Enabled></akdb:eID></akdb:AuthnMethods><akdb:RequestedAttributes><akdb:RequestedAttribute Name="urn:oid:2.5.4.42" RequiredAttribute="true"/></akdb:RequestedAttributes><akdb:DisplayInformation><classic-ui:Version xmlns:classic-ui="https://www.akdb.de/request/2018/09/classic-ui/v1"><classic-ui:OrganizationDisplayName>${text(f.extra)}</classic-ui:OrganizationDisplayName><classic-ui:BackURL>https://evil.example/back</classic-ui:BackURL></classic-ui:Version></akdb:DisplayInformation></akdb:AuthenticationRequest></samlp:Extensions>`
      : '';
    const context =
      o.classRef === undefined
        ? ''
        : `<samlp:RequestedAuthnContext${attr('Comparison', o.comparison)}><saml:AuthnContextClassRef xmlns:saml="${ns.saml}">${text(o.classRef)}</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`;
    return `<samlp:AuthnRequest xmlns:samlp="${ns.samlp}" ${head}${attr('AssertionConsumerServiceURL', o.acs)}${attr('ProtocolBinding', o.binding)}>${issuer}${akdb}<samlp:NameIDPolicy AllowCreate="true"${attr('Format', o.nameIdFormat)}/>${context}</samlp:AuthnRequest>`;
  }
  if (kind === 'LogoutRequest') {
    return `<samlp:LogoutRequest xmlns:samlp="${ns.samlp}" ${head}>${issuer}<saml:NameID xmlns:saml="${ns.saml}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">${text(o.nameId ?? '')}</saml:NameID>${o.sessionIndex === undefined ? '' : `<samlp:SessionIndex>${text(o.sessionIndex)}</samlp:SessionIndex>`}</samlp:LogoutRequest>`;
  }
  return `<samlp:LogoutResponse xmlns:samlp="${ns.samlp}" ${head}${attr('InResponseTo', o.inResponseTo)}>${issuer}<samlp:Status><samlp:StatusCode Value="${text(o.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success')}"/></samlp:Status></samlp:LogoutResponse>`;
}

/** Damage done to the XML text; `wrap` is done after signing (signature wrapping). */
const damages = [
  'none',
  'comment-in-issuer',
  'doctype',
  'entity',
  'dup-issuer',
  'drop-issuer',
  'namespace',
  'truncate',
  'insert',
  'utf16-decl',
  'pi',
  'wrap',
] as const;
type Damage = (typeof damages)[number];

function damageXml(xml: string, how: Damage, at: number, insert: string): string {
  switch (how) {
    case 'none':
    case 'wrap':
      return xml;
    case 'comment-in-issuer':
      return xml.replace(`${spEntity}<`, 'https://service.example<!-- -->/saml<');
    case 'doctype':
      return `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml}`;
    case 'entity':
      return `<!DOCTYPE samlp:AuthnRequest [<!ENTITY a "${'x'.repeat(50)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${xml.replace('</saml:Issuer>', '&b;</saml:Issuer>')}`;
    case 'dup-issuer':
      return xml.replace(/(<saml:Issuer[^>]*>[^<]*<\/saml:Issuer>)/, '$1$1');
    case 'drop-issuer':
      return xml.replace(/<saml:Issuer[^>]*>[^<]*<\/saml:Issuer>/, '');
    case 'namespace':
      return xml.replaceAll(ns.samlp, 'urn:oasis:names:tc:SAML:1.0:protocol');
    case 'truncate':
      return xml.slice(0, at % Math.max(1, xml.length));
    case 'insert': {
      const i = at % Math.max(1, xml.length);
      return `${xml.slice(0, i)}${insert}${xml.slice(i)}`;
    }
    case 'utf16-decl':
      return `<?xml version="1.0" encoding="UTF-16"?>${xml}`;
    case 'pi':
      return `<?xml-stylesheet href="https://evil.example/x.xsl"?>${xml}`;
  }
}

/** XML signature wrapping: the signed element moves inside a new root that says something else. */
function wrapSigned(signed: string): string {
  const inner = signed.replace(/^<\?xml[^>]*>/, '');
  return `<samlp:AuthnRequest xmlns:samlp="${ns.samlp}" ID="_evil${randomBytes(4).toString('hex')}" Version="2.0" IssueInstant="${new Date().toISOString()}" AssertionConsumerServiceURL="https://evil.example/acs"><saml:Issuer xmlns:saml="${ns.saml}">${spEntity}</saml:Issuer><samlp:Extensions>${inner}</samlp:Extensions></samlp:AuthnRequest>`;
}

export interface SamlMessage {
  /** Well-formed from a template (`xml`), or raw bytes or text. */
  body: { xml: string; damage: Damage; at: number; insert: string } | { bytes: Uint8Array } | { text: string };
  /** How the message is put into the parameter. */
  encoding: 'deflate' | 'plain' | 'bomb' | 'cut-deflate' | 'none';
  parameter: 'SAMLRequest' | 'SAMLResponse' | 'both' | 'none';
  signature: 'none' | 'valid' | 'flipped' | 'garbage' | 'alg-only' | 'signature-only' | 'embedded';
  sigAlg: string;
  relayState?: Text;
  extras: readonly (readonly [string, string])[];
  /** Parameter values: URL-encoded as usual, or raw. */
  urlEncoding: 'standard' | 'raw';
}

function fieldsOf(path: '/saml/sso' | '/saml/slo'): fc.Arbitrary<Fields> {
  return fc.record({
    id: fc.oneof(
      { weight: 8, arbitrary: fc.constant(placeholders.id) },
      { weight: 1, arbitrary: fc.constantFrom('_replayed-id', '1starts-with-digit', '', `_${'x'.repeat(300)}`) },
      { weight: 1, arbitrary: hostile },
    ),
    instant: fc.oneof(
      { weight: 8, arbitrary: fc.constant(placeholders.now) },
      { weight: 1, arbitrary: fc.constantFrom('2001-01-01T00:00:00Z', '2999-01-01T00:00:00Z', 'yesterday', '') },
      { weight: 1, arbitrary: hostile },
    ),
    issuer: fc.oneof(
      { weight: 8, arbitrary: fc.constant(spEntity) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'https://unknown.example/saml',
          ` ${spEntity}`,
          `${spEntity}/`,
          'HTTPS://SERVICE.EXAMPLE/saml',
        ),
      },
      { weight: 1, arbitrary: hostile },
    ),
    destination: fc.oneof(
      { weight: 6, arbitrary: fc.constant(`http://localhost:3000${path}`) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'https://evil.example/saml/sso',
          'http://localhost:3000/saml/slo',
          'http://localhost:3000/saml/sso',
        ),
      },
    ),
    extra: hostile,
  });
}

function xmlOf(kind: MessageKind, path: '/saml/sso' | '/saml/slo'): fc.Arbitrary<string> {
  const participation = fc.constantFrom('live', 'live', 'random');
  return fc
    .record({
      f: fieldsOf(path),
      acs: fc.option(
        fc.oneof(
          { weight: 4, arbitrary: fc.constant('https://service.example/saml/acs') },
          {
            weight: 1,
            arbitrary: fc.constantFrom('https://evil.example/acs', 'https://service.example/saml/acs/../x'),
          },
          { weight: 1, arbitrary: hostile },
        ),
        { nil: undefined },
      ),
      binding: fc.option(
        fc.constantFrom(
          'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
          'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact',
          'x',
        ),
        { nil: undefined },
      ),
      nameIdFormat: fc.option(
        fc.constantFrom(
          'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
          'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
          'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        ),
        { nil: undefined },
      ),
      classRef: fc.option(
        fc.oneof(
          fc.constantFrom(
            'STORK-QAA-Level-1',
            'STORK-QAA-Level-3',
            'STORK-QAA-Level-4',
            'http://eidas.europa.eu/LoA/high',
          ),
          hostile,
        ),
        { nil: undefined },
      ),
      comparison: fc.option(fc.constantFrom('minimum', 'exact', 'maximum', 'better', 'x'), { nil: undefined }),
      akdb: fc.boolean(),
      participation,
      nameId: hostile,
      sessionIndex: fc.option(hostile, { nil: undefined }),
      status: fc.option(
        fc.constantFrom(
          'urn:oasis:names:tc:SAML:2.0:status:Success',
          'urn:oasis:names:tc:SAML:2.0:status:Requester',
          'x',
        ),
        { nil: undefined },
      ),
      inResponseTo: fc.option(fc.oneof(fc.constant('_unknown'), hostile), { nil: undefined }),
    })
    .map((o) =>
      template(kind, o.f, {
        ...o,
        ...(o.participation === 'live'
          ? { nameId: placeholders.nameId, sessionIndex: placeholders.sessionIndex }
          : { nameId: o.nameId, ...(o.sessionIndex === undefined ? {} : { sessionIndex: o.sessionIndex }) }),
      } as Parameters<typeof template>[2]),
    );
}

export function samlMessage(
  path: '/saml/sso' | '/saml/slo',
  kinds: readonly MessageKind[],
  parameter: 'SAMLRequest' | 'either',
  binding: 'redirect' | 'post',
): fc.Arbitrary<SamlMessage> {
  const xml = fc.oneof(...kinds.map((k) => xmlOf(k, path)));
  const body = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        xml,
        damage: fc.oneof(
          { weight: 12, arbitrary: fc.constant<Damage>('none') },
          { weight: 1, arbitrary: fc.constantFrom(...damages) },
        ),
        at: fc.nat(),
        insert: hostile,
      }),
    },
    { weight: 40, arbitrary: fc.record({ bytes: garbageBytes }) },
    {
      weight: 40,
      arbitrary: fc.record({
        text: fc.oneof(hostile, fc.constantFrom('<', '<a', '<?xml version="1.0"?>', '<samlp:AuthnRequest', '\ufeff<')),
      }),
    },
  );
  const parameters = parameter === 'SAMLRequest' ? ['SAMLRequest'] : ['SAMLRequest', 'SAMLResponse'];
  return fc
    .record({
      body,
      encoding: fc.oneof(
        { weight: 10, arbitrary: fc.constant(binding === 'redirect' ? ('deflate' as const) : ('plain' as const)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'deflate' as const,
            'plain' as const,
            'bomb' as const,
            'cut-deflate' as const,
            'none' as const,
          ),
        },
      ),
      parameter: fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom(...(parameters as ('SAMLRequest' | 'SAMLResponse')[])) },
        { weight: 1, arbitrary: fc.constantFrom('both' as const, 'none' as const) },
      ),
      signature:
        binding === 'redirect'
          ? fc.oneof(
              { weight: 6, arbitrary: fc.constant('valid' as const) },
              {
                weight: 1,
                arbitrary: fc.constantFrom(
                  'none' as const,
                  'flipped' as const,
                  'garbage' as const,
                  'alg-only' as const,
                  'signature-only' as const,
                  'embedded' as const,
                ),
              },
            )
          : fc.oneof(
              { weight: 4, arbitrary: fc.constant('embedded' as const) },
              { weight: 1, arbitrary: fc.constant('none' as const) },
            ),
      sigAlg: fc.oneof(
        { weight: 8, arbitrary: fc.constant(sigAlgs.rsaSha256) },
        { weight: 1, arbitrary: fc.constantFrom(sigAlgs.rsaSha1, sigAlgs.rsaSha512, sigAlgs.ecdsa, sigAlgs.hmac) },
        { weight: 1, arbitrary: hostile },
      ),
      relayState: fc.option(either([3, fc.constantFrom('fuzz-relay', 'x'.repeat(80), 'x'.repeat(513))]), {
        nil: undefined,
      }),
      extras: fc.array(fc.tuple(fc.constantFrom('SAMLEncoding', 'RelayState', 'SigAlg', 'SAMLRequest', 'x'), hostile), {
        maxLength: 2,
      }),
      urlEncoding: fc.oneof(
        { weight: 8, arbitrary: fc.constant('standard' as const) },
        { weight: 1, arbitrary: fc.constant('raw' as const) },
      ),
    })
    .map((m) => (m.relayState === undefined ? (({ relayState: _ignored, ...rest }) => rest)(m) : m));
}

/** The live participation for LogoutRequests; made only when the message names it. */
async function fill(xml: string, r: Resolver): Promise<string> {
  let out = xml
    .replaceAll(placeholders.id, `_${randomBytes(16).toString('hex')}`)
    .replaceAll(placeholders.now, r.world.t.clock.now().toISOString());
  if (out.includes(placeholders.nameId) || out.includes(placeholders.sessionIndex)) {
    const login = await r.world.live(r.session, 'samlLogin', true, r.refreshed);
    out = out
      .replaceAll(placeholders.nameId, login.nameId ?? '')
      .replaceAll(placeholders.sessionIndex, login.sessionIndex ?? '');
  }
  return out;
}

const bomb = deflateRawSync(Buffer.alloc(2_000_000, 0x20)).toString('base64');

/** The message text and the value of its parameter, before URL encoding. */
async function messageValue(m: SamlMessage, r: Resolver, binding: 'redirect' | 'post'): Promise<string> {
  let bytes: Buffer;
  if ('xml' in m.body) {
    let xml = damageXml(await fill(m.body.xml, r), m.body.damage, m.body.at, m.body.insert);
    if (m.signature === 'embedded' || m.body.damage === 'wrap') {
      try {
        xml = signRootElement(xml, r.world.sp.signing);
      } catch {
        // Not signable after the damage: it goes unsigned.
      }
      if (m.body.damage === 'wrap') xml = wrapSigned(xml);
    }
    bytes = Buffer.from(xml, 'utf8');
  } else if ('bytes' in m.body) {
    bytes = Buffer.from(m.body.bytes);
  } else {
    return m.body.text;
  }
  switch (m.encoding) {
    case 'deflate':
      return deflateRawSync(bytes).toString('base64');
    case 'plain':
      return bytes.toString('base64');
    case 'bomb':
      return bomb;
    case 'cut-deflate': {
      const deflated = deflateRawSync(bytes);
      return deflated.subarray(0, Math.max(1, deflated.length - 3)).toString('base64');
    }
    case 'none':
      return binding === 'post' ? bytes.toString('utf8') : bytes.toString('latin1');
  }
}

const urlValue = (value: string, how: SamlMessage['urlEncoding']) =>
  how === 'raw' ? encode(value, 'raw') : encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));

/**
 * The HTTP-Redirect query: the message, RelayState, and a query signature (saml-bindings §3.4.4.1) as the case says.
 */
export async function redirectQuery(m: SamlMessage, r: Resolver): Promise<string> {
  const value = urlValue(await messageValue(m, r, 'redirect'), m.urlEncoding);
  const names = m.parameter === 'both' ? ['SAMLRequest', 'SAMLResponse'] : m.parameter === 'none' ? [] : [m.parameter];
  const parts = names.map((name) => `${name}=${value}`);
  if (m.relayState !== undefined) parts.push(`RelayState=${urlValue(await resolve(m.relayState, r), m.urlEncoding)}`);
  const sigAlg = `SigAlg=${urlValue(m.sigAlg, m.urlEncoding)}`;
  if (m.signature !== 'none' && m.signature !== 'embedded' && m.signature !== 'signature-only') parts.push(sigAlg);
  if (m.signature === 'valid' || m.signature === 'flipped' || m.signature === 'signature-only') {
    const signer = createSign(
      m.sigAlg === sigAlgs.rsaSha1 ? 'RSA-SHA1' : m.sigAlg === sigAlgs.rsaSha512 ? 'RSA-SHA512' : 'RSA-SHA256',
    );
    signer.update(parts.join('&'));
    // Only a parsable message gets as far as its signature: for the others any 384 bytes do, and RSA-3072 signing is
    // not free.
    const signature = 'xml' in m.body ? signer.sign(r.world.sp.signing.privateKeyPem) : randomBytes(384);
    if (m.signature === 'flipped') signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 1;
    parts.push(`Signature=${encodeURIComponent(signature.toString('base64'))}`);
  }
  if (m.signature === 'garbage')
    parts.push(`Signature=${urlValue(createHash('sha256').update(value).digest('base64'), 'standard')}`);
  for (const [name, extra] of m.extras) parts.push(`${name}=${urlValue(extra, m.urlEncoding)}`);
  return parts.join('&');
}

/** The HTTP-POST form body: the message (embedded signature when the case says so) and RelayState. */
export async function postForm(m: SamlMessage, r: Resolver): Promise<string> {
  const value = await messageValue(m, r, 'post');
  const names = m.parameter === 'both' ? ['SAMLRequest', 'SAMLResponse'] : m.parameter === 'none' ? [] : [m.parameter];
  const parts = names.map((name) => `${name}=${urlValue(value, m.urlEncoding)}`);
  if (m.relayState !== undefined) parts.push(`RelayState=${urlValue(await resolve(m.relayState, r), m.urlEncoding)}`);
  for (const [name, extra] of m.extras) parts.push(`${name}=${urlValue(extra, m.urlEncoding)}`);
  return parts.join('&');
}

/**
 * A valid signed AuthnRequest of the test service provider over HTTP-Redirect, issued at the app's clock (node-saml
 * would use the system's).
 * `forceAuthn`: a browser whose session would answer at once gets a pending login (/saml/login/<uid>) instead.
 */
export async function validAuthnRequestQuery(r: Resolver, o: { forceAuthn?: boolean } = {}): Promise<string> {
  const built = template(
    'AuthnRequest',
    {
      id: placeholders.id,
      instant: placeholders.now,
      issuer: spEntity,
      destination: 'http://localhost:3000/saml/sso',
      extra: '',
    },
    {
      acs: 'https://service.example/saml/acs',
      binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      classRef: 'STORK-QAA-Level-1',
      comparison: 'minimum',
    },
  );
  const xml = o.forceAuthn ? built.replace('<samlp:AuthnRequest ', '<samlp:AuthnRequest ForceAuthn="true" ') : built;
  return redirectQuery(
    {
      body: { xml, damage: 'none', at: 0, insert: '' },
      encoding: 'deflate',
      parameter: 'SAMLRequest',
      signature: 'valid',
      sigAlg: sigAlgs.rsaSha256,
      relayState: 'fuzz-relay',
      extras: [],
      urlEncoding: 'standard',
    },
    r,
  );
}
