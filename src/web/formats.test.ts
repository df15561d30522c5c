import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countryName, formatWait, nationalityName, nationalityOptions } from './formats.ts';
import { nationalityWords } from './nationalities.ts';

describe('formatWait', () => {
  test('says one second, not "1 Sekunden"', () => {
    assert.equal(formatWait(1, 'de'), '1 Sekunde');
    assert.equal(formatWait(1, 'en'), '1 second');
    assert.equal(formatWait(45, 'de'), '45 Sekunden');
  });

  test('long waits in minutes or hours, rounded up so waiting as told is enough', () => {
    assert.equal(formatWait(60, 'de'), '1 Minute');
    assert.equal(formatWait(61, 'de'), '2 Minuten');
    assert.equal(formatWait(3600, 'de'), '60 Minuten');
    assert.equal(formatWait(3412, 'en'), '57 minutes');
    assert.equal(formatWait(2 * 3600, 'de'), '2 Stunden');
    assert.equal(formatWait(24 * 3600, 'en'), '24 hours');
  });

  test('never less than one second', () => {
    assert.equal(formatWait(0, 'de'), '1 Sekunde');
    assert.equal(formatWait(0.2, 'en'), '1 second');
  });
});

describe('nationalityOptions', () => {
  for (const lang of ['de', 'en'] as const) {
    test(`every ${lang} option is a nationality from the table, not a country name, "deutsch" first then sorted`, () => {
      const options = nationalityOptions(lang);
      const adjectives = new Set(Object.values(nationalityWords).map((w) => w[lang]));
      assert.equal(options[0]?.value, 'DE');
      assert.equal(options[0]?.label, lang === 'de' ? 'deutsch' : 'German');
      for (const { value, label } of options) {
        assert.ok(adjectives.has(label), `${value}: ${label}`);
        assert.notEqual(label, countryName(value, lang), `${value} is labelled with its country`);
      }
      assert.equal(new Set(options.map((o) => o.label)).size, options.length, 'labels tell the options apart');
      const collator = new Intl.Collator(lang);
      const rest = options.slice(1).map((o) => o.label);
      assert.deepEqual(rest, [...rest].sort(collator.compare));
    });
  }

  test('the German adjectives are lower case as in German forms', () => {
    assert.equal(nationalityName('EG', 'de'), 'ägyptisch');
    assert.equal(nationalityName('EG', 'en'), 'Egyptian');
    for (const [code, { de }] of Object.entries(nationalityWords))
      assert.ok(/^[a-zäöüß]/.test(de) || de.startsWith('US-') || de.startsWith('Staatsangehörigkeit von '), code);
  });

  test('territories are no nationality: not offered, but a stored code still reads as its country', () => {
    const values = nationalityOptions('de').map((o) => o.value);
    for (const territory of ['AX', 'GI', 'PR', 'HK', 'GL']) assert.ok(!values.includes(territory), territory);
    assert.equal(nationalityName('GI', 'de'), 'Gibraltar');
    const kept = nationalityOptions('de', 'GI');
    assert.ok(kept.some((o) => o.value === 'GI' && o.label === 'Gibraltar'));
  });
});
