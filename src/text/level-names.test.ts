import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogue } from './index.ts';
import { level } from './level.ts';

/**
 * One name per trust level in every citizen text, the names of the level
 * pages (issue 15 point 5): "Basisregistrierung", "niedrig", "substanziell",
 * "hoch". A quoted level name after "Vertrauensniveau" / "trust level" must be
 * one of them, and the setting that lets the password alone do names every
 * level it covers, the lowest included.
 */
const names = {
  de: new Set([1, 2, 3, 4].map((n) => level[`level.name.${n}` as keyof typeof level].de)),
  en: new Set([1, 2, 3, 4].map((n) => level[`level.name.${n}` as keyof typeof level].en)),
};
const quoted = {
  de: /Vertrauensniveaus? „([^“{]+)“(?: oder „([^“{]+)“)?/g,
  en: /trust levels? "([^"{]+)"(?: or "([^"{]+)")?/g,
};

test('every level named in a citizen text is named as on the level pages', () => {
  for (const [id, text] of Object.entries(catalogue))
    for (const lang of ['de', 'en'] as const)
      for (const match of text[lang].matchAll(quoted[lang]))
        for (const name of match.slice(1).filter(Boolean))
          assert.ok(names[lang].has(name as string), `${id} (${lang}): "${name}"`);
});

test('the account area and the level pages use the same names', () => {
  for (const n of [1, 2, 3, 4]) {
    const area = catalogue[`accountArea.level.${n}` as keyof typeof catalogue];
    assert.deepEqual(area, level[`level.name.${n}` as keyof typeof level]);
  }
});

test('where the password alone may do, the texts name the lowest level too, not "niedrig" alone', () => {
  for (const id of [
    'account.secondFactorLogin.notForLow',
    'account.secondFactorLogin.savedOff',
    'mail.secondFactorOff.body',
  ] as const) {
    assert.match(catalogue[id].de, /„Basisregistrierung“ oder „niedrig“/, id);
    assert.match(catalogue[id].en, /"basic registration" or "low"/, id);
  }
});
