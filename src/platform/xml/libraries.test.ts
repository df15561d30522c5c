import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

test('the modules that use the XML libraries load none of them; each loads on first use', () => {
  // A fresh process: the test runner may have loaded the libraries in this one.
  const output = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache)
        .filter((path) => /node_modules\\/(xml-crypto|@xmldom\\/xmldom|xml-encryption|xpath)\\//.test(path)).length;
      await import('./parse.ts');
      await import('./build.ts');
      await import('./algorithms.ts');
      await import('../../saml/crypto/sign-element.ts');
      await import('../../saml/crypto/verify-element.ts');
      await import('../../saml/logout/encrypted-id.ts');
      await import('../../methods/eid/soap/ws-security.ts');
      console.log(loaded());
      const libraries = await import('./libraries.ts');
      const { SignedXml, ExclusiveCanonicalization } = libraries.xmlCrypto();
      const { EnvelopedSignature, Sha256, Sha512 } = libraries.xmlCryptoInternals();
      const { DOMParser, DOMImplementation, XMLSerializer } = libraries.xmldom();
      const { decrypt } = libraries.xmlEncryption();
      console.log([SignedXml, ExclusiveCanonicalization, EnvelopedSignature, Sha256, Sha512, DOMParser,
        DOMImplementation, XMLSerializer, decrypt].map((value) => typeof value).join(' '));
      console.log(libraries.xmlCrypto() === libraries.xmlCrypto(), loaded() > 0);
      `,
    ],
    { cwd: import.meta.dirname, encoding: 'utf8' },
  );
  assert.deepEqual(output.trim().split('\n'), ['0', Array(9).fill('function').join(' '), 'true true']);
});
