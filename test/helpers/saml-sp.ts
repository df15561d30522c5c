import { SAML, ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';
import type { AppContext } from '../../src/context.ts';
import { generateKeyWithCertificate, type KeyWithCertificate } from '../../src/platform/crypto/certificate.ts';
import { readSpMetadata } from '../../src/saml/metadata/sp-read.ts';
import { parseSamlXml } from '../../src/platform/xml/parse.ts';
import type { SamlService, SamlServiceConfig } from '../../src/services/service-repository.ts';

/**
 * A real SAML service provider for the tests: @node-saml/node-saml, as BundID
 * integrations use it, with its own signing and encryption keys. It signs its
 * AuthnRequests, and validates and decrypts our Responses itself.
 */
export interface TestServiceProvider {
  entityId: string;
  acs: string;
  sp: SAML;
  signing: KeyWithCertificate;
  encryption: KeyWithCertificate;
  metadata: string;
}

/**
 * How the test service providers are configured, as BundID integrations
 * configure node-saml: signed requests, signed and encrypted answers,
 * transient NameID, STORK level 1 minimum, InResponseTo always checked.
 */
export function serviceProviderConfig(o: {
  entityId: string;
  acs: string;
  slo: string;
  idpBaseUrl: string;
  idpCert: string | string[];
  signing: KeyWithCertificate;
  encryption: KeyWithCertificate;
}): SamlConfig {
  return {
    issuer: o.entityId,
    audience: o.entityId,
    callbackUrl: o.acs,
    logoutCallbackUrl: o.slo,
    entryPoint: `${o.idpBaseUrl}/saml/sso`,
    logoutUrl: `${o.idpBaseUrl}/saml/slo`,
    idpCert: o.idpCert,
    privateKey: o.signing.privateKeyPem,
    publicCert: o.signing.certificatePem,
    decryptionPvk: o.encryption.privateKeyPem,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    authnContext: ['STORK-QAA-Level-1'],
    racComparison: 'minimum',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    acceptedClockSkewMs: 5000,
  };
}

export async function createServiceProvider(
  app: AppContext,
  options: Partial<SamlConfig> & { entityId?: string } = {},
): Promise<TestServiceProvider> {
  const entityId = options.entityId ?? 'https://service.example/saml';
  const acs = 'https://service.example/saml/acs';
  const now = new Date();
  const [signing, encryption] = await Promise.all([
    generateKeyWithCertificate('RSA-3072', 'signing', 'test sp signing', now),
    generateKeyWithCertificate('RSA-3072', 'encryption', 'test sp encryption', now),
  ]);
  const idpCert = (await app.saml.keys()).signingKey('RSA-3072', app.clock.now()).certificatePem;
  const sp = new SAML({
    ...serviceProviderConfig({
      entityId,
      acs,
      slo: 'https://service.example/saml/slo',
      idpBaseUrl: app.config.publicUrl,
      idpCert,
      signing,
      encryption,
    }),
    ...options,
  });
  const metadata = sp.generateServiceProviderMetadata(encryption.certificatePem, signing.certificatePem);
  // node-saml stamps its messages with the real time, while a test's app runs on a clock fixed when it was built:
  // on a loaded machine a test file can take long enough for that clock to fall behind the request age we accept,
  // and its IssueInstant would be refused. A clock a test moved ahead stays where it is.
  const authorize = sp.getAuthorizeUrlAsync.bind(sp);
  sp.getAuthorizeUrlAsync = async (...args) => {
    catchUpClock(app.clock);
    return authorize(...args);
  };
  const logout = sp.getLogoutUrlAsync.bind(sp);
  sp.getLogoutUrlAsync = async (...args) => {
    catchUpClock(app.clock);
    return logout(...args);
  };
  return { entityId, acs, sp, signing, encryption, metadata };
}

function catchUpClock(clock: AppContext['clock']): void {
  const advance = (clock as { advance?: (ms: number) => void }).advance;
  const behind = Date.now() - clock.now().getTime();
  if (advance && behind > 0) advance.call(clock, behind);
}

/** Registers the SP the way `sp add` does: from its metadata, with our defaults. */
export async function registerServiceProvider(
  app: AppContext,
  provider: TestServiceProvider,
  extra: Partial<SamlServiceConfig> = {},
  minLevel = 1,
): Promise<SamlService> {
  const read = readSpMetadata(parseSamlXml(provider.metadata), { production: false });
  if (!read.ok) throw new Error(`test SP metadata refused: ${read.problem}`);
  const { organizationName: _ignored, ...metadata } = read.metadata;
  return app.services.upsertSaml(
    {
      ...metadata,
      attributes: ['urn:oid:2.5.4.42', 'urn:oid:2.5.4.4', 'urn:oid:1.3.6.1.4.1.25484.494450.3'],
      signature: 'rsa-sha256',
      keyTransport: 'rsa-oaep-mgf1p',
      encryptAssertions: true,
      metadataUrl: undefined,
      ...extra,
    },
    'Wohngeld Online',
    'Stadt Musterstadt',
    minLevel,
  );
}

const unescape = (value: string) =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#39;', "'")
    .replaceAll('&#96;', '`')
    .replaceAll('&amp;', '&');

/** The SAMLResponse and RelayState of our auto-submitting POST page. */
export function postedFields(html: string): { action: string; SAMLResponse: string; RelayState: string | undefined } {
  const action = /<form method="post" action="([^"]+)" data-saml-post>/.exec(html)?.[1] ?? '';
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  const SAMLResponse = field('SAMLResponse') ?? field('SAMLRequest');
  if (!SAMLResponse) throw new Error(`no SAML message on the page: ${html.slice(0, 300)}`);
  const relay = field('RelayState');
  return {
    action: unescape(action),
    SAMLResponse: unescape(SAMLResponse),
    RelayState: relay === undefined ? undefined : unescape(relay),
  };
}
