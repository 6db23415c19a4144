// The samplers of torch.utils.data: which sample indices an epoch visits, drawn as PyTorch 1.13
// draws them, so a seed gives PyTorch's order.
import { randint, randperm } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';

/**
 * Sample indices, one epoch per iteration; `length` is how many.
 * @pytorch `torch.utils.data.Sampler`
 */
export interface Sampler extends Iterable<number> {
  readonly length: number;
}

/** Anything with a length: a dataset, or the indices of one. */
export interface Sized {
  readonly length: number;
}

/**
 * 0, 1, ..., n - 1.
 * @pytorch `torch.utils.data.SequentialSampler`
 */
export class SequentialSampler implements Sampler {
  constructor(readonly dataSource: Sized) {}

  get length(): number {
    return this.dataSource.length;
  }

  /** One epoch's indices. */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.dataSource.length; i++) yield i;
  }
}

/**
 * RandomSampler's keyword arguments: `replacement` (false), `numSamples` (the dataset's length), `generator`.
 * @pytorch `torch.utils.data.RandomSampler`
 */
export interface RandomSamplerOptions {
  replacement?: boolean;
  numSamples?: number;
  generator?: Generator;
}

/** A generator of its own, seeded from the global one, as PyTorch's samplers make one when given none. */
function freshGenerator(): Generator {
  defaultGenerator.random();
  return new Generator(defaultGenerator.random());
}

/**
 * A random order: a permutation per pass (numSamples may span several), or with replacement
 * numSamples uniform draws, 32 at a time as PyTorch draws them.
 * @pytorch `torch.utils.data.RandomSampler`
 */
export class RandomSampler implements Sampler {
  readonly replacement: boolean;
  readonly generator?: Generator;
  private readonly numSamplesGiven?: number;

  constructor(
    readonly dataSource: Sized,
    opts: RandomSamplerOptions = {},
  ) {
    checkOptions('RandomSampler', opts, ['replacement', 'numSamples', 'generator']);
    this.replacement = opts.replacement ?? false;
    this.generator = opts.generator;
    this.numSamplesGiven = opts.numSamples;
    if (opts.numSamples !== undefined && !(Number.isInteger(opts.numSamples) && opts.numSamples > 0))
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${opts.numSamples}`);
  }

  get length(): number {
    return this.numSamplesGiven ?? this.dataSource.length;
  }

  /** One epoch's indices. */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    const total = this.length;
    const generator = this.generator ?? freshGenerator();
    if (this.replacement) {
      for (let done = 0; done < total; done += 32) {
        const draws = randint(0, n, [Math.min(32, total - done)], { generator }).values();
        yield* Array.from(draws);
      }
      return;
    }
    for (let pass = 0; pass < Math.floor(total / n); pass++) yield* Array.from(randperm(n, { generator }).values());
    const tail = randperm(n, { generator }).values();
    yield* Array.from(tail.subarray(0, total % n));
  }
}

/**
 * The given indices in a random order (a permutation drawn from `generator`, or the global generator).
 * @pytorch `torch.utils.data.SubsetRandomSampler`
 */
export class SubsetRandomSampler implements Sampler {
  constructor(
    readonly indices: readonly number[],
    readonly generator?: Generator,
  ) {}

  get length(): number {
    return this.indices.length;
  }

  /** One epoch's indices. */
  *[Symbol.iterator](): Iterator<number> {
    const perm = randperm(this.indices.length, { generator: this.generator }).values();
    for (const i of perm) yield this.indices[i];
  }
}

/**
 * `numSamples` indices drawn with probabilities proportional to `weights`: with replacement by
 * PyTorch's multinomial (one 53-bit uniform per draw, a search of the cumulative weights),
 * without replacement in the order of weight / exponential draw.
 * @pytorch `torch.utils.data.WeightedRandomSampler`
 */
export class WeightedRandomSampler implements Sampler {
  readonly weights: Float64Array;

  constructor(
    weights: readonly number[] | Tensor,
    readonly numSamples: number,
    readonly replacement = true,
    readonly generator?: Generator,
  ) {
    this.weights = Float64Array.from(Array.isArray(weights) ? weights : (weights as Tensor).values());
    if (!(Number.isInteger(numSamples) && numSamples > 0))
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${numSamples}`);
    if (this.weights.some((w) => !(w >= 0) || !Number.isFinite(w)))
      throw new RangeError('invalid multinomial distribution (encountering probability entry < 0, inf or NaN)');
    const positive = this.weights.filter((w) => w > 0).length;
    if (positive === 0) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
    if (!replacement && numSamples > positive)
      throw new RangeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  }

  get length(): number {
    return this.numSamples;
  }

  /** One epoch's indices. */
  *[Symbol.iterator](): Iterator<number> {
    const g = this.generator ?? defaultGenerator;
    const w = this.weights;
    if (!this.replacement) {
      // PyTorch 1.13: the top numSamples of w / q with q exponential(1) draws (in float64 here,
      // the weights' dtype being double).
      const keys = Array.from(w, (v, i) => [v / -Math.log1p(-g.uniform53()), i] as const);
      keys.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      for (let k = 0; k < this.numSamples; k++) yield keys[k][1];
      return;
    }
    const cumulative = new Float64Array(w.length);
    let sum = 0;
    for (let i = 0; i < w.length; i++) cumulative[i] = sum += w[i];
    for (let i = 0; i < w.length; i++) cumulative[i] /= sum;
    cumulative[w.length - 1] = 1;
    for (let k = 0; k < this.numSamples; k++) {
      const u = g.uniform53();
      let lo = 0;
      let hi = w.length;
      while (hi - lo > 0) {
        const mid = lo + ((hi - lo) >> 1);
        if (cumulative[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      yield lo;
    }
  }
}

/**
 * Groups a sampler's indices into lists of `batchSize` (the last shorter unless dropLast).
 * @pytorch `torch.utils.data.BatchSampler`
 */
export class BatchSampler implements Iterable<number[]> {
  constructor(
    readonly sampler: Iterable<number> & Sized,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    if (!(Number.isInteger(batchSize) && batchSize > 0))
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${batchSize}`);
  }

  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch's batches of indices. */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
