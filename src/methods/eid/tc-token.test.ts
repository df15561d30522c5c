import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { handOverUrl } from './hand-over.ts';
import { buildErrorToken, buildTcToken } from './tc-token.ts';

const token = {
  serverAddress: 'https://eid.example/paos',
  sessionIdentifier: 'a'.repeat(32),
  refreshAddress: 'https://konto.example/eid/return/r1?x=1&y=2',
  communicationErrorAddress: 'https://konto.example/eid/comm-error/r1',
  psk: '0123456789abcdef0123456789ABCDEF',
};

test('the TC token has no namespace and its children in the order of TcToken.xsd', () => {
  const root = parseSamlXml(buildTcToken(token)).documentElement;
  assert.equal(root?.localName, 'TCTokenType');
  assert.equal(root?.namespaceURI ?? null, null);
  const names: string[] = [];
  for (let node = root?.firstChild; node; node = node.nextSibling)
    if (node.nodeType === 1) names.push((node as Element).localName ?? '');
  assert.deepEqual(names, [
    'ServerAddress',
    'SessionIdentifier',
    'RefreshAddress',
    'CommunicationErrorAddress',
    'Binding',
    'PathSecurity-Protocol',
    'PathSecurity-Parameters',
  ]);
  assert.equal(
    root?.getElementsByTagName('RefreshAddress')[0]?.textContent,
    token.refreshAddress,
    'an & in the address is escaped, not cut',
  );
  assert.equal(root?.getElementsByTagName('PSK')[0]?.textContent, token.psk);
});

test('a PSK that is not hex or too short is refused; the error token carries only the error address', () => {
  assert.throws(() => buildTcToken({ ...token, psk: 'not hex' }));
  assert.throws(() => buildTcToken({ ...token, psk: 'abcd' }));
  const error = parseSamlXml(buildErrorToken('https://konto.example/eid/comm-error/r1')).documentElement;
  assert.equal(error?.getElementsByTagName('RefreshAddress').length, 0);
  assert.equal(
    error?.getElementsByTagName('CommunicationErrorAddress')[0]?.textContent,
    'https://konto.example/eid/comm-error/r1',
  );
});

test('desktops get the localhost link, phones the eid:// scheme, development its simulated client', () => {
  const url = 'https://konto.example/eid/tc-token/abc';
  assert.equal(
    handOverUrl(url, 'Mozilla/5.0 (X11; Linux x86_64)'),
    `http://127.0.0.1:24727/eID-Client?tcTokenURL=${encodeURIComponent(url)}`,
  );
  assert.equal(
    handOverUrl(url, 'Mozilla/5.0 (Linux; Android 14)'),
    `eid://127.0.0.1:24727/eID-Client?tcTokenURL=${encodeURIComponent(url)}`,
  );
  assert.equal(
    handOverUrl(url, 'Android', 'http://localhost:3000/dev/eid-client'),
    `http://localhost:3000/dev/eid-client?tcTokenURL=${encodeURIComponent(url)}`,
  );
});
