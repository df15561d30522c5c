import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { pseudonym } from '../../login/pseudonym.ts';
import { hmac, secretKeyOf } from './tokens.ts';
import { secretBox } from './secret-box.ts';

test('HMACs under the cached key object are the HMACs of the secret string (RFC 4231 case 2, UTF-8 keys)', () => {
  const rfc4231 = Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex');
  assert.equal(hmac('Jefe', 'what do ya want for nothing?'), rfc4231.toString('base64url'));
  for (const secret of ['installation-secret-ß€😀', 'x'.repeat(200), 'plain']) {
    assert.equal(
      hmac(secret, 'csrf|cookie'),
      createHmac('sha256', secret).update('csrf|cookie').digest('base64url'),
      `the same MAC as createHmac with the string for ${secret.slice(0, 20)}`,
    );
  }
  assert.equal(secretKeyOf('plain'), secretKeyOf('plain'), 'made once');
});

test('pseudonyms (pairwise sub, bPK2) stay what they were: HMAC-SHA256 over sector|account with the secret string', () => {
  const expected = createHmac('sha256', 'pairwise-secret').update('service.example|acc-1').digest('base64url');
  assert.equal(pseudonym('pairwise-secret', 'service.example', 'acc-1'), expected);
});

test('the secret box opens what it sealed, and what a box under another installation key sealed does not', () => {
  const box = secretBox('installation key');
  assert.equal(box.open(box.seal('JBSWY3DPEHPK3PXP')), 'JBSWY3DPEHPK3PXP');
  assert.throws(() => secretBox('another key').open(box.seal('secret')));
});
