import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { outboxTransport } from './mail-outbox.ts';
import { devSmsSink } from './sms-outbox.ts';

/** The development outbox and SMS sink pages show what the transports stored (DESIGN.md §6). */
describe('development outbox pages', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  test('/dev/mail lists stored mails newest first, escaped, with links made clickable', async () => {
    const transport = outboxTransport(t.app.db);
    await transport.send({ to: 'a@example.org', subject: 'First', text: 'no link', html: '<p>no link</p>' });
    await transport.send({
      to: 'b@example.org',
      subject: '<b>Second</b>',
      text: 'Open https://idp.example/x?a=1',
      html: '',
    });
    const response = await t.fastify.inject({ method: 'GET', url: '/dev/mail', headers: { 'accept-language': 'en' } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Development outbox/);
    assert.ok(response.body.indexOf('b@example.org') < response.body.indexOf('a@example.org'));
    assert.match(response.body, /&lt;b&gt;Second&lt;\/b&gt;/);
    assert.match(response.body, /<a class="kern-link" href="https:\/\/idp.example\/x\?a=1">/);
  });

  test('/dev/sms lists stored messages', async () => {
    await devSmsSink(t.app.db).send({ to: '+4915123456789', text: 'Ihre TAN: 123456' });
    const response = await t.fastify.inject({ method: 'GET', url: '/dev/sms', headers: { 'accept-language': 'de' } });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Entwicklungs-SMS/);
    assert.match(response.body, /\+4915123456789/);
    assert.match(response.body, /Ihre TAN: 123456/);
  });
});
