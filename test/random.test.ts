import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Generator, manualSeed, rand, randint, randn, randperm, type GeneratorState } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { loadReference } from './helpers/fixtures.js';

const ref = loadReference().random;

describe('random numbers', () => {
  it('reproduce PyTorch streams after manualSeed(1)', () => {
    manualSeed(1);
    assertClose(rand([20]), ref.rand, 0, 0, 'rand');
    assertClose(randn([5]), ref.randn_small, 1e-6, 1e-7, 'randn (< 16 values)');
    assertClose(randn([37]), ref.randn_big, 1e-6, 1e-6, 'randn (16 or more values)');
    assert.deepEqual(randint(3, 17, [20]).toArray(), ref.randint);
    assert.deepEqual(randperm(30).toArray(), ref.randperm);
    assertClose(rand([5], { dtype: 'float64' }), ref.rand64, 0, 0, 'rand float64');
  });

  it('an explicit generator is independent of the global one', () => {
    const g = new Generator(42);
    const a = rand([5], { generator: g }).toArray();
    manualSeed(7);
    rand([100]);
    const b = rand([5], { generator: new Generator(42) }).toArray();
    assert.deepEqual(a, b);
  });

  it('a saved generator state replays the same numbers', () => {
    const g = new Generator(5);
    rand([1000], { generator: g });
    const state = JSON.parse(JSON.stringify(g.getState())) as GeneratorState;
    const first = randn([50], { generator: g }).toArray();
    const h = new Generator(0).setState(state);
    assert.deepEqual(randn([50], { generator: h }).toArray(), first);
    assert.throws(() => h.setState({ seed: 1, mt: [1, 2], next: 0, left: 1 }), /invalid generator state/);
  });

  it('draws in bulk exactly the numbers random() gives one by one, across twists', () => {
    const one = new Generator(3);
    const bulk = new Generator(3);
    for (const n of [1, 700, 624, 0, 1300, 5]) {
      const want = Array.from({ length: n }, () => one.random());
      const got = new Uint32Array(n);
      bulk.randomInto(got);
      assert.deepEqual([...got], want, `${n} numbers`);
    }
    assert.deepEqual(bulk.getState(), one.getState());
  });

  it('different seeds give different numbers', () => {
    assert.notDeepEqual(
      rand([4], { generator: new Generator(1) }).toArray(),
      rand([4], { generator: new Generator(2) }).toArray(),
    );
  });

  it('randint rejects an empty range', () => {
    assert.throws(() => randint(5, 5, [2]), /randint expects integers low < high/);
  });
});
