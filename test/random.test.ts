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

  it('bernoulliInto is uniform53() < p entry by entry, across twists and where the second draw decides', () => {
    // p just above and just below entry 400's own 53-bit value: its high draw ties with p's.
    const peek = new Generator(8);
    for (let i = 0; i < 800; i++) peek.random();
    const value = (peek.random() & 0x1fffff) * 4294967296 + peek.random();
    const cases: [number, number][] = [
      [0, 0],
      [0.3, 0],
      [1, 0],
      [(value + 0.5) / 2 ** 53, 0],
      [(value - 0.5) / 2 ** 53, 0],
      [0.3, 1],
    ];
    for (const [p, before] of cases) {
      const [one, bulk] = [new Generator(8), new Generator(8)];
      // One draw before: the pairs straddle the twists (every 624 draws).
      for (let i = 0; i < before; i++) [one, bulk].forEach((g) => g.random());
      const want = Array.from({ length: 1000 }, () => (one.uniform53() < p ? 2 : 0));
      const got = new Float32Array(1000);
      bulk.bernoulliInto(got, p, 2);
      assert.deepEqual([...got], want, `p = ${p}`);
      assert.deepEqual(bulk.getState(), one.getState());
    }
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
