import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeRepository } from '../../src/identity/attribute-repository.ts';
import { Browser, buildTestApp, login, registerVerified, type TestApp } from '../helpers/test-app.ts';

/** Identity data verified in person: level hoch with evidence, shown as verified, not editable by typing. */
describe('verified identity data', () => {
  let t: TestApp;
  let browser: Browser;
  let accountId = '';
  before(async () => {
    t = await buildTestApp();
    browser = new Browser(t.fastify);
    await registerVerified(t, browser, 'erika.m', 'erika@example.org');
    accountId = (await t.app.accounts.byLogin('erika.m'))?.id ?? '';
    await attributeRepository(t.app.db).setVerified(
      accountId,
      { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12' },
      { source: 'clerk', level: 4, at: t.clock.now(), evidence: { document: 'idcard', clerk: 'Meier' } },
    );
    await login(browser, 'erika.m');
  });
  after(() => t.close());

  test('the account page shows verified data as verified, without an input', async () => {
    const page = await browser.get('/account/profile');
    assert.match(page.body, /Mustermann <span class="kern-badge kern-badge--success">Bestätigt/);
    assert.doesNotMatch(page.body, /name="family_name"/);
  });

  test('typing cannot overwrite verified data', async () => {
    const _csrf = await browser.csrf('/account');
    await browser.post('/account/profile', { _csrf, family_name: 'Musterfrau', locality: 'Köln' });
    const attributes = await t.app.attributes.forAccount(accountId);
    assert.equal(attributes.get('family_name')?.value, 'Mustermann');
    assert.equal(attributes.get('family_name')?.trustLevel, 4);
    assert.equal(attributes.get('locality')?.trustLevel, 1);
  });

  test('a password login on verified data is level niedrig (the means caps it)', async () => {
    const session = await t.app.db.query<{ level: number }>('SELECT level FROM sso_sessions WHERE account_id = $1', [
      accountId,
    ]);
    assert.equal(session.rows[0]?.level, 2);
  });
});
