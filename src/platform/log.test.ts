import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './log.ts';

test('link tokens and protocol secrets are redacted from logged URLs', () => {
  assert.equal(redactUrl('/verify-email?token=abc123'), '/verify-email?token=[redacted]');
  assert.equal(
    redactUrl('/oidc/auth?client_id=x&state=s1&nonce=n1&login_hint=erika'),
    '/oidc/auth?client_id=x&state=[redacted]&nonce=[redacted]&login_hint=[redacted]',
  );
  assert.equal(redactUrl('/account'), '/account');
});
