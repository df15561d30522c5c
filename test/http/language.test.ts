import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, buildTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(() => t.close());

test('the language switch sends a return path with control or non-ASCII characters home, never a 500 (issue 13 §11)', async () => {
  for (const target of ['/%00', '/%7f', '/account%0d%0aSet-Cookie:x=y', '/%1b', '/%C3%A4', '/%E2%82%AC']) {
    const response = await new Browser(t.fastify).get(`/language?lang=en&return=${target}`);
    assert.equal(response.statusCode, 303, target);
    assert.equal(response.headers.location, '/', target);
  }
  const plain = await new Browser(t.fastify).get('/language?lang=en&return=%2Faccount%3Ftab%3D1');
  assert.equal(plain.headers.location, '/account?tab=1', 'an ordinary local path still works');
});
