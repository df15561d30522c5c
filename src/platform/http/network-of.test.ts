import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkOf } from './network-of.ts';

test('IPv4 addresses count by /24, IPv4-mapped ones too', () => {
  assert.equal(networkOf('192.0.2.17'), '192.0.2.0/24');
  assert.equal(networkOf('::ffff:192.0.2.200'), '192.0.2.0/24');
  assert.notEqual(networkOf('192.0.3.17'), networkOf('192.0.2.17'));
});

test('IPv6 addresses count by /64, however they are written', () => {
  assert.equal(networkOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
  assert.equal(networkOf('2001:0db8:0001:0002::1'), '2001:db8:1:2::/64');
  assert.equal(networkOf('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(networkOf('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(networkOf('::1'), '0:0:0:0::/64');
  assert.notEqual(networkOf('2001:db8:1:3::1'), networkOf('2001:db8:1:2::1'));
});
