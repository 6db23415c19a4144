import { randperm } from '../tensor/creation.js';
import { defaultGenerator, type Generator } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Samples by index: `length` and `get(i)`, as a map-style PyTorch dataset.
 * @pytorch `torch.utils.data.Dataset`
 */
export interface Dataset<T = [Tensor, number]> {
  readonly length: number;
  /**
   * The sample at `index`.
   * @pytorch `torch.utils.data.Dataset.__getitem__`
   */
  get(index: number): T;
}

/** A dataset that can gather a whole batch at once (the built-in image datasets). */
export interface BatchSource {
  /** Images [B, ...] and labels [B] for the given sample indices. */
  batch(indices: ArrayLike<number>): [Tensor, Tensor];
  /** False where `batch` cannot apply the dataset's transforms (a random crop): loaders then use `get`. */
  readonly batchable?: boolean;
}

/** Whether a loader can take a whole batch from `ds` at once. */
export function isBatchSource(ds: unknown): ds is BatchSource {
  return typeof (ds as BatchSource)?.batch === 'function' && (ds as BatchSource).batchable !== false;
}

export function checkIndex(index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new RangeError(`index ${index} is out of range for a dataset of ${length} samples`);
  }
  return index < 0 ? index + length : index;
}

/** Samples are the rows of the given tensors, which must share their first dimension. */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new RangeError('TensorDataset needs at least one tensor');
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n)
        throw new RangeError(`Size mismatch between tensors: tensor 0 has ${n} rows, tensor ${i} has ${t.shape[0]}`);
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  /**
   * The `index`-th row of each tensor.
   * @pytorch `torch.utils.data.TensorDataset.__getitem__`
   */
  get(index: number): Tensor[] {
    const i = checkIndex(index, this.length);
    return this.tensors.map((t) => t.select(i));
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  readonly indices: number[];

  constructor(
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Array.from(indices, (i) => checkIndex(i, dataset.length));
  }

  get length(): number {
    return this.indices.length;
  }

  /**
   * The sample at `indices[index]` of the wrapped dataset.
   * @pytorch `torch.utils.data.Subset.__getitem__`
   */
  get(index: number): T {
    return this.dataset.get(this.indices[checkIndex(index, this.length)]);
  }

  /** Gathers a batch from the wrapped dataset's fast path, through `indices`. */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    if (!isBatchSource(this.dataset)) throw new TypeError('the underlying dataset cannot gather batches');
    return this.dataset.batch(Array.from(indices, (i) => this.indices[i]));
  }
}

/**
 * Splits a dataset into non-overlapping subsets of the given lengths, or fractions of its size
 * (remainders go one each to the first subsets), as torch.utils.data.random_split.
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: number[],
  generator: Generator = defaultGenerator,
): Subset<T>[] {
  const n = dataset.length;
  let sizes = lengths;
  const fractions = lengths.every((l) => l >= 0 && l <= 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9;
  if (fractions && lengths.some((l) => !Number.isInteger(l) || l === 1)) {
    sizes = lengths.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]++;
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0))
    throw new RangeError(
      `randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths}]`,
    );
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n)
    throw new RangeError(`Sum of input lengths (${total}) does not equal the length of the input dataset (${n})`);
  const perm = randperm(n, { generator }).toArray();
  let offset = 0;
  return sizes.map((s) => {
    const part = new Subset(dataset, perm.slice(offset, offset + s));
    offset += s;
    return part;
  });
}

/**
 * Datasets end to end: index i falls in the first dataset whose cumulative length passes it.
 * @pytorch `torch.utils.data.ConcatDataset`
 */
export class ConcatDataset<T> implements Dataset<T> {
  readonly cumulativeSizes: number[];

  constructor(readonly datasets: readonly Dataset<T>[]) {
    if (datasets.length === 0) throw new RangeError('datasets should not be an empty iterable');
    let total = 0;
    this.cumulativeSizes = datasets.map((d) => (total += d.length));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  /**
   * The sample at `index` (negative counts from the end).
   * @pytorch `torch.utils.data.ConcatDataset.__getitem__`
   */
  get(index: number): T {
    const i = checkIndex(index, this.length);
    let d = 0;
    while (this.cumulativeSizes[d] <= i) d++;
    return this.datasets[d].get(d === 0 ? i : i - this.cumulativeSizes[d - 1]);
  }
}
