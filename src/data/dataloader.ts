import type { DType } from '../tensor/dtype.js';
import { randperm } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/generator.js';
import { stack } from '../autograd/ops/join.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { isBatchSource, Subset, type Dataset } from './dataset.js';
import { drawMaps, type BatchPlan } from './batch_plan.js';
import { ImageArrayDataset } from './datasets/image_array.js';
import {
  checkLoaderWorkers,
  hasFileSamples,
  startLoaderWorkers,
  type DatasetDescriptor,
  type FileSamples,
  type LoaderWorkerPool,
} from './loader_protocol.js';
import { packTransform } from './transform_pack.js';

/**
 * The DataLoader's keyword arguments: `batchSize` (1), `shuffle`, `generator`, `dropLast`,
 * `sampler` (the order of the samples), `batchSampler` (the batches' indices; excludes batchSize,
 * shuffle, sampler and dropLast), `collateFn` (a batch from its samples).
 * @pytorch `torch.utils.data.DataLoader`
 */
export interface DataLoaderOptions<T = unknown> {
  batchSize?: number;
  shuffle?: boolean;
  /** Shuffles with this generator; by default each epoch seeds a fresh one from the global generator, as PyTorch. */
  generator?: Generator;
  dropLast?: boolean;
  sampler?: Iterable<number> & { readonly length: number };
  batchSampler?: Iterable<number[]> & { readonly length: number };
  /** Makes a batch from its samples (instead of stacking them). */
  collateFn?: (samples: T[]) => unknown;
  /**
   * Worker threads that read and augment batches ahead of the step (default 0: on this thread).
   * They take the built-in datasets (MNIST, CIFAR10, ImageFolder, ...) and Subsets of them, with
   * torchlit's transforms; the batches, their order and the generator's state equal numWorkers: 0.
   */
  numWorkers?: number;
  /** Batches each worker works ahead; default 2, as PyTorch. */
  prefetchFactor?: number;
  /** Workers live as long as the loader either way; accepted for PyTorch's sake. */
  persistentWorkers?: boolean;
  /** Seconds to wait for a worker's batch before failing; default 0: 600 s. */
  timeout?: number;
}

/**
 * What a DataLoader yields for samples of type T: `[images, labels]` for `[Tensor, number]`,
 * stacked tensors for `Tensor[]`.
 */
export type Collated<T> = T extends [Tensor, number] ? [Tensor, Tensor] : T extends Tensor[] ? Tensor[] : unknown;

function collateColumn(values: unknown[]): unknown {
  const first = values[0];
  if (first instanceof Tensor) return stack(values as Tensor[]);
  if (typeof first === 'number') {
    const dtype: DType = (values as number[]).every(Number.isInteger) ? 'int64' : 'float32';
    const t = Tensor.empty([values.length], dtype);
    t.data.set(values as number[]);
    return t;
  }
  if (Array.isArray(first)) return first.map((_, j) => collateColumn(values.map((v) => (v as unknown[])[j])));
  return values;
}

/** Batches of a dataset, iterable with for..of; `length` is the number of batches. */
export class DataLoader<T = [Tensor, number]> implements Iterable<Collated<T>> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator?: Generator;
  readonly sampler?: DataLoaderOptions<T>['sampler'];
  readonly batchSampler?: DataLoaderOptions<T>['batchSampler'];
  /** Makes a batch from its samples, when given. */
  readonly collateFn?: DataLoaderOptions<T>['collateFn'];
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  private readonly timeoutMs: number;
  private workers: LoaderWorkerPool | null = null;
  /** What the workers were started for: a new dataset or transform starts new ones. */
  private workerKey: unknown[] = [];
  /** Job ids grow across epochs, so answers to an epoch left early are told apart. */
  private jobCounter = 0;

  constructor(
    readonly dataset: Dataset<T>,
    opts: DataLoaderOptions<T> = {},
  ) {
    checkOptions(
      'DataLoader',
      opts,
      [
        'batchSize',
        'shuffle',
        'generator',
        'dropLast',
        'sampler',
        'batchSampler',
        'collateFn',
        'numWorkers',
        'prefetchFactor',
        'persistentWorkers',
        'timeout',
      ],
      { pinMemory: false, workerInitFn: null },
    );
    this.numWorkers = opts.numWorkers ?? 0;
    if (!Number.isInteger(this.numWorkers) || this.numWorkers < 0)
      throw new RangeError('num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.');
    this.prefetchFactor = opts.prefetchFactor ?? 2;
    if (opts.prefetchFactor !== undefined && this.numWorkers === 0)
      throw new RangeError(
        'prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.',
      );
    if (!Number.isInteger(this.prefetchFactor) || this.prefetchFactor < 1)
      throw new RangeError(`prefetchFactor must be a positive integer, got ${opts.prefetchFactor}`);
    if (opts.persistentWorkers && this.numWorkers === 0)
      throw new RangeError('persistent_workers option needs num_workers > 0');
    const timeout = opts.timeout ?? 0;
    if (!(timeout >= 0)) throw new RangeError('timeout option should be non-negative');
    this.timeoutMs = (timeout || 600) * 1000;
    if (this.numWorkers > 0) {
      checkLoaderWorkers();
      workerMode(dataset, opts);
    }
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new RangeError(`batchSize should be a positive integer, got ${opts.batchSize}`);
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    this.sampler = opts.sampler;
    this.batchSampler = opts.batchSampler;
    this.collateFn = opts.collateFn;
    if (this.sampler && this.shuffle) throw new RangeError('sampler option is mutually exclusive with shuffle');
    if (
      this.batchSampler &&
      ((opts.batchSize !== undefined && opts.batchSize !== 1) || this.shuffle || this.sampler || this.dropLast)
    )
      throw new RangeError(
        'batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last',
      );
  }

  get length(): number {
    if (this.batchSampler) return this.batchSampler.length;
    const n = this.sampler ? this.sampler.length : this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * The sample order of one epoch, drawn as PyTorch 1.13 draws it: the iterator takes a 64-bit base
   * seed from the loader's generator; without one, the sampler seeds a fresh generator from the
   * global one. So the same seed gives PyTorch's batches.
   */
  private order(): ArrayLike<number> {
    const n = this.dataset.length;
    const source = this.generator ?? defaultGenerator;
    source.random();
    source.random();
    if (this.sampler) return [...this.sampler];
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    let generator = this.generator;
    if (!generator) {
      defaultGenerator.random();
      generator = new Generator(defaultGenerator.random());
    }
    return randperm(n, { generator }).values();
  }

  /**
   * Iterates over the epoch's batches from the first.
   * @pytorch `torch.utils.data.DataLoader.__iter__`
   */
  [Symbol.iterator](): Iterator<Collated<T>> {
    return this.iterate(0);
  }

  /**
   * One epoch's batches from batch `fromBatch` on (a resumed epoch skips what it already trained).
   * The sample order is drawn from the generator when this is called, not at the first batch.
   */
  iterate(fromBatch = 0): IterableIterator<Collated<T>> {
    if (!Number.isInteger(fromBatch) || fromBatch < 0)
      throw new RangeError(`fromBatch must be a non-negative integer, got ${fromBatch}`);
    if (this.batchSampler) {
      const source = this.generator ?? defaultGenerator;
      source.random();
      source.random();
      return this.sampledBatches([...this.batchSampler].slice(fromBatch));
    }
    return this.batches(this.order(), fromBatch);
  }

  private *sampledBatches(batches: number[][]): IterableIterator<Collated<T>> {
    for (const indices of batches) yield this.collate(indices);
  }

  /** The batch of these samples: collateFn, or the dataset's own gather, or stacking. */
  private collate(indices: number[]): Collated<T> {
    const ds = this.dataset;
    for (const i of indices)
      if (!Number.isInteger(i) || i < 0 || i >= ds.length)
        throw new RangeError(`the sampler gave index ${i}, outside the dataset of ${ds.length} samples`);
    if (this.collateFn) return this.collateFn(indices.map((i) => ds.get(i))) as Collated<T>;
    if (isBatchSource(ds)) return ds.batch(indices) as Collated<T>;
    return collateColumn(indices.map((i) => ds.get(i))) as Collated<T>;
  }

  /** Stops the worker threads (they also stop with the process). */
  async close(): Promise<void> {
    await this.workers?.close();
    this.workers = null;
  }

  private *batches(order: ArrayLike<number>, fromBatch: number): IterableIterator<Collated<T>> {
    if (this.numWorkers > 0) {
      yield* this.workerBatches(order, fromBatch);
      return;
    }
    const n = order.length;
    let drawn = false;
    for (let start = fromBatch * this.batchSize; start < n; start += this.batchSize) {
      const end = Math.min(n, start + this.batchSize);
      if (this.dropLast && end - start < this.batchSize) break;
      if (end === n && end - start < this.batchSize) {
        this.exhaustSampler();
        drawn = true;
      }
      yield this.collate(Array.prototype.slice.call(order, start, end) as number[]);
    }
    if (!drawn) this.exhaustSampler();
  }

  /** The epoch's batches through the workers: jobs dispatched ahead in order, taken in order. */
  private *workerBatches(order: ArrayLike<number>, fromBatch: number): IterableIterator<Collated<T>> {
    const mode = workerMode(this.dataset, this);
    const key = [mode.kind, mode.dataset, mode.dataset.transform];
    if (!this.workers || key.some((v, i) => v !== this.workerKey[i])) {
      void this.workers?.close();
      this.workers =
        mode.kind === 'maps'
          ? startLoaderWorkers(
              this.numWorkers,
              mode.dataset.data.data as Uint8Array,
              mode.dataset.imageShape,
              this.timeoutMs,
            )
          : startLoaderWorkers(this.numWorkers, mode.pixels, mode.shape, this.timeoutMs, {
              dataset: mode.descriptor,
              transform: mode.transform,
            });
      this.workerKey = key;
    }
    const workers = this.workers;
    const ranges: [number, number][] = [];
    for (let start = fromBatch * this.batchSize; start < order.length; start += this.batchSize) {
      const end = Math.min(order.length, start + this.batchSize);
      if (this.dropLast && end - start < this.batchSize) break;
      ranges.push([start, end]);
    }
    const due = new Map<number, { labels: Tensor; shape: number[] }>();
    const first = this.jobCounter;
    this.jobCounter += ranges.length;
    const startState = mode.kind === 'samples' ? defaultGenerator.getState() : undefined;
    let drawn = false;
    const dispatch = (k: number) => {
      const [start, end] = ranges[k];
      if (end === order.length && end - start < this.batchSize) {
        this.exhaustSampler();
        drawn = true;
      }
      const picked = Array.prototype.slice.call(order, start, end) as number[];
      for (const i of picked)
        if (!Number.isInteger(i) || i < 0 || i >= this.dataset.length)
          throw new RangeError(`the sampler gave index ${i}, outside the dataset of ${this.dataset.length} samples`);
      const id = first + k;
      if (mode.kind === 'samples') {
        const indices = Int32Array.from(picked, mode.index);
        workers.submit(k % workers.count, { kind: 'samples', id, indices, state: k === 0 ? startState : undefined });
        return;
      }
      const ds = mode.dataset;
      const [c, h, w] = ds.imageShape;
      const indices = Int32Array.from(picked);
      const maps = drawMaps(mode.plan, indices.length, h, w);
      const labels = new Tensor(
        Float64Array.from(indices, (i) => ds.targets.data[i]),
        [indices.length],
        'int64',
      );
      due.set(k, { labels, shape: [indices.length, c, ...maps.outSize] });
      workers.submit(k % workers.count, {
        kind: 'maps',
        id,
        indices,
        maps,
        lut: mode.plan.lut,
        fillLevel: mode.plan.fillLevel,
      });
    };
    let next = 0;
    for (let k = 0; k < ranges.length; k++) {
      while (next < ranges.length && next < k + this.prefetchFactor * workers.count) dispatch(next++);
      const result = workers.take(k % workers.count, first + k);
      if (mode.kind === 'samples') {
        // The global generator continues from the last batch's draws, as it would on one thread.
        if (k === ranges.length - 1) defaultGenerator.setState(result.state!);
        const labels = new Tensor(result.labels!, [result.labels!.length], 'int64');
        yield [new Tensor(result.out!, result.shape!, result.dtype!), labels] as Collated<T>;
        continue;
      }
      const { labels, shape } = due.get(k)!;
      due.delete(k);
      yield [new Tensor(result.out!, shape, mode.plan.lut ? 'float32' : 'uint8'), labels] as Collated<T>;
    }
    if (!drawn) this.exhaustSampler();
  }

  /**
   * What PyTorch's RandomSampler draws when its iterator runs out (before a last short batch, else
   * when asked for the batch after the last): the permutation of a tail of zero samples, n - 1
   * draws from the loader's own generator. Without one it came from a generator of its own.
   */
  private exhaustSampler(): void {
    if (this.shuffle && this.generator && !this.sampler)
      for (let i = 1; i < this.dataset.length; i++) this.generator.random();
  }
}

/** How workers make `dataset`'s batches: one-pass maps drawn here, or samples read and transformed there. */
type WorkerMode =
  | { kind: 'maps'; plan: BatchPlan; dataset: ImageArrayDataset }
  | {
      kind: 'samples';
      dataset: ImageArrayDataset | FileSamples;
      descriptor: DatasetDescriptor;
      transform: unknown;
      pixels: Uint8Array;
      shape: [number, number, number];
      /** Loader indices to the underlying dataset's (through Subsets). */
      index: (i: number) => number;
    };

/** The way workers take `dataset`, or a clear refusal naming what they cannot take. */
function workerMode(dataset: unknown, opts: { collateFn?: unknown; batchSampler?: unknown }): WorkerMode {
  if (opts.collateFn) throw new RangeError('DataLoader: not supported: numWorkers > 0 with a collateFn');
  if (opts.batchSampler) throw new RangeError('DataLoader: not supported: numWorkers > 0 with a batchSampler');
  let ds = dataset;
  const maps: ((i: number) => number)[] = [];
  while (ds instanceof Subset) {
    const indices = (ds as Subset<unknown>).indices;
    maps.unshift((i) => indices[i]);
    ds = (ds as Subset<unknown>).dataset;
  }
  const index = (i: number) => maps.reduceRight((j, f) => f(j), i);
  const refuse = (why: string) =>
    new RangeError(
      `DataLoader: not supported: numWorkers > 0 with this dataset (${why}). Workers take MNIST, CIFAR10, ImageFolder and ` +
        'the other built-in datasets (and Subsets of them) with torchlit transforms; use numWorkers: 0',
    );
  const folder = hasFileSamples(ds);
  if (!(ds instanceof ImageArrayDataset) && !folder) throw refuse('not a built-in dataset');
  const source = ds as ImageArrayDataset | FileSamples;
  if (source.targetTransform) throw refuse('a targetTransform');
  if (folder && (source as FileSamples).hasCustomLoader) throw refuse('a custom loader');
  if (!folder && maps.length === 0) {
    const plan = (source as ImageArrayDataset).plan();
    if (plan) return { kind: 'maps', plan, dataset: source as ImageArrayDataset };
  }
  const transform = packTransform(source.transform);
  if (folder)
    return {
      kind: 'samples',
      dataset: source,
      descriptor: { kind: 'folder', samples: (source as FileSamples).samples },
      transform,
      pixels: new Uint8Array(0),
      shape: [0, 0, 0],
      index,
    };
  const array = source as ImageArrayDataset;
  return {
    kind: 'samples',
    dataset: source,
    descriptor: { kind: 'array', labels: Float64Array.from(array.targets.values()) },
    transform,
    pixels: array.data.data as Uint8Array,
    shape: array.imageShape,
    index,
  };
}
