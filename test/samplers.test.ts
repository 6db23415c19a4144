import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  arange,
  BatchSampler,
  ConcatDataset,
  DataLoader,
  Generator,
  manualSeed,
  rand,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
  TensorDataset,
  WeightedRandomSampler,
  zeros,
  type Sampler,
  type Tensor,
} from '../src/index.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_sampler_fixtures.py writes. */
type Case =
  { epochs: number[][] | number[][][]; after?: number; length?: number } | { labels: number[] } | { error: string };
const cases = JSON.parse(readFileSync(`${fixtureDir}samplers.json`, 'utf8')) as Record<string, Case>;
const expected = (name: string) => cases[name] as { epochs: number[][]; after: number; length?: number };

const gen = (seed: number) => new Generator(seed);
const R = { length: 10 };
const samplers: Record<string, () => Sampler> = {
  sequential: () => new SequentialSampler(R),
  random: () => new RandomSampler(R),
  random_generator: () => new RandomSampler(R, { generator: gen(3) }),
  random_num_samples: () => new RandomSampler(R, { numSamples: 23, generator: gen(3) }),
  random_replacement: () => new RandomSampler(R, { replacement: true, numSamples: 40 }),
  random_replacement_generator: () => new RandomSampler(R, { replacement: true, generator: gen(5) }),
  subset_random: () => new SubsetRandomSampler([3, 5, 7, 11, 13]),
  subset_random_generator: () => new SubsetRandomSampler([3, 5, 7, 11, 13], gen(2)),
  weighted: () => new WeightedRandomSampler([0.1, 0.5, 2.0, 0.0, 1.4], 12),
  weighted_generator: () => new WeightedRandomSampler([0.1, 0.5, 2.0, 0.0, 1.4], 12, true, gen(4)),
  weighted_no_replacement: () => new WeightedRandomSampler([0.1, 0.5, 2.0, 0.3, 1.4], 4, false, gen(4)),
};

const ds = new TensorDataset(zeros([10, 2]), arange(10));
const ds2 = new TensorDataset(zeros([4, 2]), arange(100, 104));
const loaders: Record<string, () => DataLoader<Tensor[]>> = {
  loader_sampler: () => new DataLoader(ds, { batchSize: 3, sampler: new RandomSampler(ds, { generator: gen(1) }) }),
  loader_sampler_loader_generator: () =>
    new DataLoader(ds, { batchSize: 4, sampler: new SubsetRandomSampler([0, 2, 4, 6, 8]), generator: gen(9) }),
  loader_batch_sampler: () => new DataLoader(ds, { batchSampler: new BatchSampler(new RandomSampler(ds), 4, true) }),
  loader_weighted: () =>
    new DataLoader(ds, { batchSize: 5, sampler: new WeightedRandomSampler(arange(1, 11).float(), 10) }),
  loader_concat: () => new DataLoader(new ConcatDataset([ds, ds2]), { batchSize: 5, shuffle: true }),
};

describe('samplers, batch samplers and ConcatDataset against PyTorch 1.13', () => {
  for (const [name, make] of Object.entries(samplers)) {
    it(`${name}: two epochs, and where the global generator ends`, () => {
      const e = expected(name);
      manualSeed(7);
      const s = make();
      assert.deepEqual([[...s], [...s]], e.epochs);
      assert.equal(s.length, e.epochs[0].length);
      assert.equal(rand([1]).item(), Math.fround(e.after));
    });
  }

  it('BatchSampler groups a sampler, keeping or dropping the short last batch', () => {
    const e = cases.batch_sampler as { epochs: number[][][] };
    assert.deepEqual([...new BatchSampler(new SequentialSampler(R), 3, false)], e.epochs[0]);
    assert.deepEqual([...new BatchSampler(new SequentialSampler(R), 3, true)], e.epochs[1]);
    assert.equal(new BatchSampler(new SequentialSampler(R), 3, false).length, 4);
  });

  for (const [name, make] of Object.entries(loaders)) {
    it(`DataLoader ${name}: PyTorch's batches for two epochs`, () => {
      const e = cases[name] as { epochs: number[][][]; after: number; length: number };
      manualSeed(7);
      const loader = make();
      const epochs = [0, 1].map(() => [...loader].map((b) => b[1].toArray()));
      assert.deepEqual(epochs, e.epochs);
      assert.equal(loader.length, e.length);
      assert.equal(rand([1]).item(), Math.fround(e.after));
    });
  }

  it('ConcatDataset indexes through its parts, negative indices from the end', () => {
    const concat = new ConcatDataset([ds, ds2]);
    const labels = [0, 9, 10, 13, -1, -4, -14].map((i) => concat.get(i)[1].item());
    assert.deepEqual(labels, (cases.concat_index as { labels: number[] }).labels);
    assert.throws(() => concat.get(14), /index 14 is out of range for a dataset of 14 samples/);
  });

  it('collateFn builds the batch; exclusive options and bad samplers are errors with PyTorch words', () => {
    const loader = new DataLoader(ds, { batchSize: 4, collateFn: (samples) => samples.map((s) => s[1].item()) });
    assert.deepEqual(
      [...loader],
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9],
      ],
    );
    assert.throws(
      () => new DataLoader(ds, { sampler: new SequentialSampler(ds), shuffle: true }),
      new RegExp((cases.mutual_shuffle as { error: string }).error),
    );
    assert.throws(
      () => new DataLoader(ds, { batchSampler: new BatchSampler(new SequentialSampler(ds), 2, false), batchSize: 3 }),
      /batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last/,
    );
    const outside = {
      length: 2,
      *[Symbol.iterator]() {
        yield 0;
        yield 12;
      },
    };
    assert.throws(
      () => [...new DataLoader(ds, { sampler: outside })],
      /the sampler gave index 12, outside the dataset of 10 samples/,
    );
    assert.throws(() => new WeightedRandomSampler([1, -1], 3), /invalid multinomial distribution/);
    assert.throws(() => new WeightedRandomSampler([1, 0], 2, false), /cannot sample n_sample > prob_dist.size\(-1\)/);
  });
});
