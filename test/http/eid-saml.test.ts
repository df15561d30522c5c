// eID over SAML (issue 6): a service asking for STORK-QAA-Level-4 gets it from an eID login, with
// AssertionProvedBy "eID" (PROFILES.md §1); a password session is sent on to the eID; a service that
// turned the eID off in its AKDB AuthnMethods does not get it offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restrictedIdentifier } from '../../src/dev/eid-simulator/restricted-id.ts';
import { readCardAt } from '../helpers/eid-card.ts';
import { createServiceProvider, postedFields, registerServiceProvider } from '../helpers/saml-sp.ts';
import { walkSamlLogin } from '../helpers/saml-browser.ts';
import { xmlsecDecrypt } from '../helpers/xmlsec.ts';
import { Browser, buildTestApp, followRedirects, login, registerVerified } from '../helpers/test-app.ts';

const local = (url: string) => {
  const parsed = new URL(url, 'http://localhost:3000');
  return `${parsed.pathname}${parsed.search}`;
};

test('SAML: STORK-QAA-Level-4 through the eID, AssertionProvedBy eID, second factor true', async () => {
  const t = await buildTestApp();
  const eid = t.app.eid;
  assert.ok(eid);
  await registerVerified(t, new Browser(t.fastify), 'erika.m', 'erika@example.org');
  const accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
  await t.app.attributes.setVerified(
    accountId,
    { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
    { source: 'eid', level: 4, at: t.clock.now(), evidence: { document: 'idcard' } },
  );
  await eid.links.link(accountId, {
    restrictedId: restrictedIdentifier('erika', eid.config.sector),
    documentType: 'ID',
    eidType: 'CardCertified',
  });

  const sp = await createServiceProvider(t.app, {
    entityId: 'https://kfz.example/saml',
    authnContext: ['STORK-QAA-Level-4'],
  });
  await registerServiceProvider(t.app, sp, {
    attributes: ['urn:oid:2.5.4.42', 'urn:oid:1.3.6.1.4.1.25484.494450.2', 'urn:oid:1.3.6.1.4.1.25484.494450.7'],
  });

  // A password session is not enough for level 4: the browser lands on the eID hand-over.
  const browser = new Browser(t.fastify);
  await login(browser, 'erika.m');
  const handOver = await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {})));
  assert.match(handOver.finalUrl, /^\/saml\/login\/s_[^/]+\/eid$/);
  const returned = await readCardAt(browser, handOver.finalUrl, 'erika');
  assert.equal(returned.statusCode, 303, returned.body);
  const done = await walkSamlLogin(browser, await followRedirects(browser, local(String(returned.headers.location))));
  const fields = postedFields(done.body);
  const { profile } = await sp.sp.validatePostResponseAsync({ SAMLResponse: fields.SAMLResponse });
  assert.equal(profile?.['urn:oid:2.5.4.42'], 'Erika');
  assert.equal(profile?.['urn:oid:1.3.6.1.4.1.25484.494450.2'], 'eID');
  assert.equal(profile?.['urn:oid:1.3.6.1.4.1.25484.494450.7'], 'true');
  const assertion = await xmlsecDecrypt(
    Buffer.from(fields.SAMLResponse, 'base64').toString('utf8'),
    sp.encryption.privateKeyPem,
  );
  assert.match(assertion, />STORK-QAA-Level-4</);
  await t.close();
});

test('SAML: AuthnMethods with eID disabled hide the eID and refuse its route', async () => {
  const t = await buildTestApp();
  const akdb = {
    'akdb:AuthenticationRequest': {
      '@xmlns:akdb': 'https://www.akdb.de/request/2018/09',
      '@Version': '2',
      'akdb:AuthnMethods': { 'akdb:Benutzername': { 'akdb:Enabled': 'true' }, 'akdb:eID': { 'akdb:Enabled': 'false' } },
    },
  };
  const sp = await createServiceProvider(t.app, {
    entityId: 'https://no-eid.example/saml',
    samlAuthnRequestExtensions: akdb,
  });
  await registerServiceProvider(t.app, sp);
  const browser = new Browser(t.fastify);
  const choice = await followRedirects(browser, local(await sp.sp.getAuthorizeUrlAsync('r', undefined, {})));
  assert.match(choice.finalUrl, /^\/saml\/login\/s_[^/]+$/);
  assert.doesNotMatch(choice.body, /\/eid"/);
  assert.equal((await browser.get(`${choice.finalUrl}/eid`)).statusCode, 404);
  await t.close();
});
