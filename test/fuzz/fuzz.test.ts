import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS, fuzz } from './fuzz_inputs.js';

describe('fuzzing every format (a fast, seeded subset; npm run fuzz runs the long one)', () => {
  for (const format of Object.keys(FORMATS)) {
    it(`${format}: 150 mutated files, each accepted or a clear error, none slow`, () => {
      const stats = fuzz(format, 150, 1);
      assert.equal(stats.tried, 150);
      assert.equal(stats.unclear, 0, `unclear errors: ${stats.examples.join(' | ')}`);
      assert.equal(stats.hangs, 0);
    });
  }
});
