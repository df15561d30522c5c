import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html } from './html.ts';

test('interpolated strings are escaped', () => {
  const name = '<script>alert("x")</script>';
  assert.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>');
});

test('nested html stays markup, arrays are joined, null and false vanish', () => {
  const items = ['a&b', 'c'].map((i) => html`<li>${i}</li>`);
  assert.equal(html`<ul>${items}${null}${false}</ul>`.value, '<ul><li>a&amp;b</li><li>c</li></ul>');
});

test('attribute quotes cannot be broken out of', () => {
  const value = `" onmouseover='x'`;
  assert.equal(html`<input value="${value}">`.value, '<input value="&quot; onmouseover=&#39;x&#39;">');
});
