import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS } from './formats.js';
import { fuzz } from './harness.js';

describe('fuzzing every format (a fast, seeded subset; npm run fuzz runs the long one)', () => {
  for (const [name, format] of Object.entries(FORMATS)) {
    const count = name === 'command line' ? 400 : 300;
    it(`${name}: ${count} damaged inputs, each accepted or a clear error, none slow`, async () => {
      const stats = await fuzz(name, format, count, 1);
      assert.equal(stats.tried, count);
      assert.equal(stats.unclear, 0, `unclear errors: ${stats.examples.join(' | ')}`);
      assert.equal(stats.hangs, 0, stats.examples.join(' | '));
    });
  }
});
