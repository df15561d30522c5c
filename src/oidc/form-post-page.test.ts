import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ourFormPostPage } from './form-post-page.ts';

/** oidc-provider 9.13's template (lib/response_modes/form_post.js), with its escaping. */
const providerPage = (inputs: string, action = 'https://service.example/cb?a=1&amp;b=2') => `<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <title>Submitting Callback</title>
  <script>document.forms[0].submit()</script>
</head>
<body>
  <form method="post" action="${action}">
    ${inputs}
    <noscript>Your browser does not support JavaScript or you've disabled it.<br/><button autofocus type="submit">Continue</button></noscript>
  </form>
</body>
</html>`;

test('the provider page becomes ours with the same action and fields, escaped again', () => {
  const page = ourFormPostPage(
    providerPage(
      '<input type="hidden" name="code" value="a&amp;b&lt;&quot;&#39;"/>\n<input type="hidden" name="state" value="s"/>',
    ),
    'en',
  );
  assert.ok(page);
  assert.match(page, /<html lang="en">/);
  assert.match(page, /<title>On to the online service/);
  assert.match(page, /action="https:\/\/service\.example\/cb\?a=1&amp;b=2"/);
  assert.match(page, /name="code" value="a&amp;b&lt;&quot;&#39;"/);
  assert.doesNotMatch(page, /<script>/);
});

test('the logout confirmation gets the logout texts', () => {
  const page = ourFormPostPage(
    providerPage(
      '<input type="hidden" name="xsrf" value="x"/>\n<input type="hidden" name="logout" value="yes"/>',
      'http://localhost:3000/oidc/session/end/confirm',
    ),
    'de',
  );
  assert.match(page ?? '', /<title>Abmeldung/);
});

test('anything that is not exactly the template stays as it is', () => {
  assert.equal(ourFormPostPage('<html><body>other</body></html>', 'de'), undefined);
  // An input the template would not write: a field would be lost.
  assert.equal(
    ourFormPostPage(
      providerPage('<input type="hidden" name="code" value="c"/><input type="text" name="x" value="y">'),
      'de',
    ),
    undefined,
  );
  // Two forms.
  assert.equal(
    ourFormPostPage(
      providerPage('<input type="hidden" name="code" value="c"/>') +
        '<form method="post" action="https://evil.example/">',
      'de',
    ),
    undefined,
  );
});
