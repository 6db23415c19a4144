import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ENTRY_POINTS,
  importCycles,
  importGraph,
  layerViolations,
  readmeLayerOrder,
  sourceFiles,
} from './helpers/imports.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const src = `${repo}src`;
const order = readmeLayerOrder(readFileSync(`${repo}README.md`, 'utf8'));
const graph = importGraph(src, sourceFiles(src));

describe('layers', () => {
  it("the README's layout table lists the layers", () => {
    assert.deepEqual(order.slice(0, 3), ['util', 'backend', 'tensor']);
    assert.deepEqual(order.slice(-2), [ENTRY_POINTS, 'cli']);
  });

  it('no import under src/ runs up the layer order', () => {
    assert.deepEqual(layerViolations(graph, order), []);
  });

  it('no imports close a cycle (type-only imports included)', () => {
    assert.deepEqual(
      importCycles(graph).map((c) => c.join(' -> ')),
      [],
    );
  });

  it('bench/ and examples/ use the library, never the command (src/cli/)', () => {
    const intoCli = [];
    for (const dir of ['bench', 'examples']) {
      const graph = importGraph(
        repo,
        sourceFiles(`${repo}${dir}`).map((f) => `${dir}/${f}`),
      );
      for (const [from, targets] of graph)
        for (const to of targets) if (to.startsWith('src/cli/')) intoCli.push(`${from} -> ${to}`);
    }
    assert.deepEqual(intoCli, []);
  });

  it('the checks catch an upward import, an unknown folder and a cycle', () => {
    const seeded = new Map([
      ['tensor/a.ts', ['nn/b.ts']],
      ['nn/b.ts', ['tensor/a.ts', 'index.ts']],
      ['extra/c.ts', []],
      ['index.ts', ['nn/b.ts']],
    ]);
    assert.deepEqual(layerViolations(seeded, ['tensor', 'nn', ENTRY_POINTS]), [
      'tensor/a.ts (tensor/) imports nn/b.ts (nn/), a layer above it',
      'nn/b.ts (nn/) imports index.ts (the entry points), a layer above it',
      'extra/c.ts: extra/ is not in the layer order',
    ]);
    assert.deepEqual(importCycles(seeded), [
      ['index.ts', 'nn/b.ts'],
      ['nn/b.ts', 'tensor/a.ts'],
    ]);
  });
});
