import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { readSpMetadata } from '../../src/saml/metadata/sp-read.ts';
import { parseSamlXml } from '../../src/platform/xml/parse.ts';
import {
  Browser,
  buildTestApp,
  followRedirects,
  goodPassword,
  registerVerified,
  type TestApp,
} from '../helpers/test-app.ts';
import {
  createServiceProvider,
  postedFields,
  registerServiceProvider,
  type TestServiceProvider,
} from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';

const urn = {
  givenName: 'urn:oid:2.5.4.42',
  familyName: 'urn:oid:2.5.4.4',
  bpk2: 'urn:oid:1.3.6.1.4.1.25484.494450.3',
  level: 'urn:oid:1.2.40.0.10.2.1.1.261.94',
  provedBy: 'urn:oid:1.3.6.1.4.1.25484.494450.2',
  mfa: 'urn:oid:1.3.6.1.4.1.25484.494450.7',
  version: 'urn:oid:1.3.6.1.4.1.25484.494450.1',
};

/**
 * node-saml's metadata with an AttributeConsumingService (saml-metadata §2.4.4.1), as Shibboleth or SimpleSAMLphp
 * publish one.
 */
function withRequestedAttributes(metadata: string, names: string[]): string {
  const requested = names
    .map((name) => `<RequestedAttribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"/>`)
    .join('');
  return metadata.replace(
    '</SPSSODescriptor>',
    `<AttributeConsumingService index="1"><ServiceName xml:lang="de">Wohngeld</ServiceName>${requested}</AttributeConsumingService></SPSSODescriptor>`,
  );
}

/**
 * Issue 13, point 12: a service registered without `--attribute` gets the
 * login facts (bPK2, level, means, mfa, interface version) in an
 * AttributeStatement; the metadata's RequestedAttribute list is what it
 * may receive beyond them, narrowed by `--attribute`.
 */
describe('SAML attribute release by default and from the metadata', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
    const accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await attributeRepository(t.app.db).setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
  });
  after(() => t.close());

  /**
   * Logs in at the service from a fresh browser (password, consent); the SP's profile and the consent groups stored.
   */
  async function loginAt(sp: TestServiceProvider) {
    const browser = new Browser(t.fastify);
    const url = new URL(await sp.sp.getAuthorizeUrlAsync('r', undefined, {}));
    const page = await walkSamlLogin(browser, await followRedirects(browser, `${url.pathname}${url.search}`));
    const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: postedFields(page.body).SAMLResponse });
    assert.ok(profile);
    const consent = await t.app.db.query<{ scopes: string[] }>('SELECT scopes FROM consents WHERE service_id = $1', [
      sp.entityId,
    ]);
    return { profile, consented: consent.rows[0]?.scopes.join(' ') ?? '' };
  }

  test('registered without --attribute: bPK2 and every login fact arrive, no personal data', async () => {
    const sp = await createServiceProvider(t.app, { entityId: 'https://plain.example/saml' });
    await registerServiceProvider(t.app, sp, { attributes: [] });
    const { profile, consented } = await loginAt(sp);
    assert.equal(String(profile[urn.bpk2]).length, 43);
    assert.match(String(profile[urn.level]), /^STORK-QAA-Level-[1-4]$/);
    assert.equal(profile[urn.provedBy], 'Benutzername');
    assert.equal(profile[urn.mfa], 'false');
    assert.equal(profile[urn.version], '2');
    assert.equal(profile[urn.givenName], undefined, 'no personal data without registration');
    assert.equal(consented, 'openid', 'the citizen agreed to the pseudonym group');
  });

  test('the consent page names the pseudonym for a service registered without --attribute', async () => {
    const sp = await createServiceProvider(t.app, { entityId: 'https://consent.example/saml' });
    await registerServiceProvider(t.app, sp, { attributes: [] });
    const browser = new Browser(t.fastify);
    const url = new URL(await sp.sp.getAuthorizeUrlAsync('r', undefined, {}));
    const start = await followRedirects(browser, `${url.pathname}${url.search}`);
    const base = /^(\/saml\/login\/[^/]+)/.exec(start.finalUrl)?.[1] ?? '';
    const password = await followRedirects(browser, `${base}/password`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(password.body)?.[1] ?? '';
    const answer = await browser.post(`${base}/password`, { _csrf: csrf, username: 'erika.m', password: goodPassword });
    const consent = await followRedirects(browser, String(answer.headers.location));
    assert.equal(consent.finalUrl, `${base}/consent`);
    assert.match(consent.body, /Ein Pseudonym, das nur dieser Dienst kennt/);
  });

  test("the metadata's RequestedAttribute list is read by Name; unknown names are left out with a warning", () => {
    const metadata = withRequestedAttributes(
      '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://md.example/saml"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><AssertionConsumerService index="1" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://md.example/saml/acs"/></SPSSODescriptor></EntityDescriptor>',
      [urn.givenName, 'urn:oid:9.9.9'],
    );
    const read = readSpMetadata(parseSamlXml(metadata), { production: false });
    assert.ok(read.ok);
    assert.deepEqual(read.metadata.metadataAttributes, [urn.givenName]);
    assert.match(read.warnings.join(), /urn:oid:9\.9\.9/);
  });

  test('attributes from the metadata are released; --attribute narrows them', async () => {
    const fromMetadata = await createServiceProvider(t.app, { entityId: 'https://acs-list.example/saml' });
    fromMetadata.metadata = withRequestedAttributes(fromMetadata.metadata, [urn.givenName, urn.familyName]);
    await registerServiceProvider(t.app, fromMetadata, { attributes: [] });
    const wide = await loginAt(fromMetadata);
    assert.equal(wide.profile[urn.givenName], 'Erika');
    assert.equal(wide.profile[urn.familyName], 'Mustermann');
    assert.equal(String(wide.profile[urn.bpk2]).length, 43);

    const narrowed = await createServiceProvider(t.app, { entityId: 'https://narrowed.example/saml' });
    narrowed.metadata = withRequestedAttributes(narrowed.metadata, [urn.givenName, urn.familyName]);
    await registerServiceProvider(t.app, narrowed, { attributes: [urn.familyName] });
    const narrow = await loginAt(narrowed);
    assert.equal(narrow.profile[urn.givenName], undefined);
    assert.equal(narrow.profile[urn.familyName], 'Mustermann');
  });
});
