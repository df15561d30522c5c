import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneCustomProperties, selectorCanMatch, subsetCss } from './css-subset.ts';

const used = (name: string) => ['kern-btn', 'kern-link'].includes(name) || !name.startsWith('kern-');

test('rules stay when a selector needs only used classes; at-rules keep what stays inside them', () => {
  const css =
    '@charset "UTF-8";:root{--a:1}a{color:red}.kern-btn,.kern-dialog{x:1}.kern-dialog{y:2}' +
    '@media (min-width: 1px){.kern-dialog{z:3}.kern-link{w:4}}@media print{.kern-dialog{v:5}}' +
    '@keyframes spin{from{a:1}to{a:2}}.kern-btn[data-x="a.kern-dialog{"]{u:6}/* .kern-btn{} */';
  assert.equal(
    subsetCss(css, used),
    ':root{--a:1}a{color:red}.kern-btn{x:1}@media (min-width: 1px){.kern-link{w:4}}' +
      '@keyframes spin{from{a:1}to{a:2}}.kern-btn[data-x="a.kern-dialog{"]{u:6}',
  );
});

test(':not() asks for nothing; :is(), :where() and :has() need one of their selectors', () => {
  assert.ok(selectorCanMatch('.kern-btn:not(.kern-dialog)', used));
  assert.ok(selectorCanMatch(':is(body,.kern-dark) .kern-link', used));
  assert.ok(!selectorCanMatch('body:has(.kern-dialog[open])', used));
  assert.ok(!selectorCanMatch('.kern-btn .kern-dialog__close', used));
  assert.ok(selectorCanMatch('input[value="1.5"]', used));
});

test('custom properties no kept declaration reads, directly or through another, go', () => {
  const css = ':root{--a:var(--b);--b:1px;--c:2px;--d:var(--c)}.x{margin:var(--a)}@media (x){:root{--c:3px}}';
  assert.equal(pruneCustomProperties(css), ':root{--a:var(--b);--b:1px}.x{margin:var(--a)}');
});
