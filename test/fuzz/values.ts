/**
 * Hostile values for every field, parameter, cookie and header: the classic
 * injection strings, broken encodings, Unicode edge cases, the length limits
 * of our forms (64, 254, 256, 320, 4096 characters) and either side of them,
 * and random text of every kind fast-check makes.
 */
import fc from 'fast-check';

const dictionary: readonly string[] = [
  '', ' ', '  padded  ', '\t', '\n', '\r\n', '\u0000', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u00a0',
  '%', '%%', '%0', '%zz', '%00', '%0d%0a', '%c0%ae', '%ff%fe', '%E0%A4%A', '+', '&', '=', '&=&', '#', '?', ';', ',', '/', '//', '\\', '..', '../', '..\\',
  '../../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', '%2e%2e%2f', 'file:///etc/passwd', '/dev/random', 'C:\\Windows\\win.ini',
  "'", '"', '`', "' OR '1'='1", "'; DROP TABLE accounts; --", '" OR ""="', '1; SELECT pg_sleep(0)', "$$; SELECT 1; $$", 'E\'\\x00\'',
  '<', '>', '<script>alert(1)</script>', '"><svg onload=alert(1)>', "'><img src=x onerror=alert(1)>", 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x',
  '${7*7}', '{{7*7}}', '#{7*7}', '<%= 7*7 %>', '$(id)', '`id`', '|id', '%s%s%s%n', '%x%x', '{0}',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', '<![CDATA[x]]>', ']]>', '&amp;', '&#0;', '&#x0;', '&lt;', '&#1114112;',
  '\ud800', '\udc00', 'a\ud800b', '\ufeff', '\ufffe', '\uffff', '\u202e', '\u200b', '\u2028', '\u2029', '\u{1f600}', '\u{10ffff}', 'e\u0301', 'A\u030a',
  'ß', 'ẞ', 'İ', 'ı', 'ǅ', 'ﬀ', 'Ä', 'Ä', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'مرحبا', '日本語', '\u0130stanbul',
  'null', 'undefined', 'NaN', 'Infinity', '-Infinity', 'true', 'false', '0', '-0', '-1', '1e308', '0x10', '00001', '9007199254740993', '9'.repeat(400),
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__', '[]', '{}', '{"__proto__":{"a":1}}', '[object Object]',
  'https://evil.example/', 'https://evil.example/callback', '//evil.example', '/\\evil.example', '\\\\evil.example', 'http://evil.example@localhost:3000/', 'https://localhost:3000.evil.example/',
  'http://localhost:3000/account', 'http://127.0.0.1:1/', 'http://[::1]:9/', 'http://169.254.169.254/latest/meta-data/', 'https://service.example/callback', '/account', '/\t/evil.example', '/%2f%2fevil.example',
  'a@b', 'a@b.c', 'erika@example.org', 'ERIKA@EXAMPLE.ORG', 'a@@b', '@example.org', 'x@localhost', '"a b"@example.org', 'a+b@example.org', `${'a'.repeat(64)}@${'b'.repeat(190)}.de`,
  '+49 151 12345678', '+4915112345678', '0049151', '000000', '123456', '12345', '1234567', 'ABCD-EFGH-JKLM', 'aaaa-bbbb',
  'de', 'en', 'xx', 'de-DE', '*', 'de;q=2', 'en;q=x',
  'ok', 'error', 'http://www.bsi.bund.de/ecard/api/1.1/resultmajor#ok', 'http://www.bsi.bund.de/ecard/api/1.1/resultmajor#error', 'cancellationByUser', 'communicationError', 'clientError', 'serverError',
  'on', 'off', 'yes', '1', 'cancel', 'save', 'erika', 'permit', 'smart-eid', 'pin-blocked',
];

/** Lengths around the limits our forms enforce, and far beyond (bodies stop at 64 KiB). */
const lengths = [63, 64, 65, 99, 100, 101, 199, 200, 201, 253, 254, 255, 256, 257, 319, 320, 321, 511, 512, 513, 2048, 4095, 4096, 4097, 20_000, 70_000] as const;

const controlChars = fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0008', '\t', '\n', '\u000b', '\u000c', '\r', '\u001f', '\u007f', '\u0080', '\u009f', '\u2028', '\ufeff', '\ud800', '\udfff'), maxLength: 8 });

/** One long value: a repeated character or a repeated hostile piece, at an interesting length. */
const longValue = fc.tuple(fc.constantFrom(...lengths), fc.constantFrom('a', 'Ä', '\u{1f600}', '%', '<', ' ', '0', '&', 'e\u0301')).map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** A hostile string, mostly short; sometimes a dictionary entry wrapped in random text. */
export const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...dictionary) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 20 }) },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: longValue },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...dictionary), fc.string({ maxLength: 6 })).map(([a, b, c]) => `${a}${b}${c}`) },
);

/** Names of fields and parameters that are not ours. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '_csrf[]', '_csrf[0]', 'a[b]', 'a.b', '', ' ', '=', '&', '%', '\u0000', 'x'.repeat(101), 'ÄÖÜ', 'toString', 'hasOwnProperty'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
);

/** Values that pass the forms' own checks, so the deeper code runs too. */
export const plausible = {
  username: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9._-]{2,20}$/), fc.constantFrom('erika.m', 'Erika.M', 'admin', 'root', 'a.b', 'x'.repeat(64))),
  email: fc.oneof(fc.emailAddress(), fc.constantFrom('erika@example.org', 'fuzz@example.org', 'a@b.de')),
  password: fc.constantFrom('Zwei Katzen schlafen auf dem Sofa', 'Drei Hunde bellen im Garten', 'passwort', '12345678', 'correct horse battery staple', 'a'.repeat(256), 'a'.repeat(257)),
  code: fc.oneof(fc.stringMatching(/^[0-9]{6}$/), fc.stringMatching(/^[0-9 ]{5,8}$/)),
  phone: fc.oneof(fc.stringMatching(/^\+49 ?1[5-7][0-9]{8,9}$/), fc.constantFrom('+4915112345678', '015112345678', '+1 555 0100')),
  uuid: fc.uuid(),
  token: fc.oneof(fc.base64String({ maxLength: 64 }), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
  date: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('1964-08-12', '2024-02-30', '0000-00-00', '99999-01-01', '12.08.1964')),
} as const;

/** A value for a field: hostile most of the time, plausible often enough to get past validation. */
export function fieldValue(kind?: keyof typeof plausible): fc.Arbitrary<string> {
  if (!kind) return hostile;
  return fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: plausible[kind] });
}

/** Client addresses: a random one keeps rate limits out of the way, a fixed one runs into them. */
export const clientAddress: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: fc.ipV4() }, { weight: 1, arbitrary: fc.ipV6() }, { weight: 2, arbitrary: fc.constant('127.0.0.1') });

/** Random bytes, some of them valid UTF-8 text, some not. */
export const garbageBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
  fc.constantFrom(new Uint8Array([0xff, 0xfe, 0x00]), new Uint8Array([0xc3, 0x28]), new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]), new Uint8Array(0)),
);
