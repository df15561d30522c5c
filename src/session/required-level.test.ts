import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requiredLevel } from './required-level.ts';

test('acr_values: the lowest listed level, never below the service minimum', () => {
  assert.equal(requiredLevel(undefined, 1), 1);
  assert.equal(requiredLevel('http://eidas.europa.eu/LoA/substantial', 1), 3);
  assert.equal(requiredLevel('http://eidas.europa.eu/LoA/high http://eidas.europa.eu/LoA/substantial', 1), 3);
  assert.equal(
    requiredLevel('urn:servicekonto:loa:basis', 3),
    3,
    'a configured minimum holds when the service asks for less',
  );
  assert.equal(requiredLevel('urn:unknown', 2), 2);
  assert.equal(requiredLevel(['x'], 1), 1);
});
