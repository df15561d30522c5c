import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceOf, readDevice } from './device.ts';

test('common browsers and systems are told apart in two words', () => {
  const cases: [string, string][] = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'firefox windows'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
      'edge windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'safari ios',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      'chrome android',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'safari macos',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36',
      'chrome linux',
    ],
    ['curl/8.5.0', 'other other'],
    ['', 'other other'],
  ];
  for (const [ua, expected] of cases) assert.equal(deviceOf(ua), expected, ua);
});

test('a stored value is read back only as known words', () => {
  assert.deepEqual(readDevice('firefox windows'), { browser: 'firefox', system: 'windows' });
  assert.deepEqual(readDevice('<script> evil'), { browser: 'other', system: 'other' });
  assert.equal(readDevice(''), undefined);
});
