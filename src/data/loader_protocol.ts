// What the DataLoader and its worker threads say to each other, and the hook through which
// Node's worker threads are provided (the browser entry has none, so it never loads node:worker_threads).
import type { DType } from '../tensor/dtype.js';
import type { GeneratorState } from '../tensor/generator.js';
import type { BatchMaps } from './batch_plan.js';

/** The dataset a worker reads samples from: shared uint8 images and their labels, or image files. */
export type DatasetDescriptor =
  { kind: 'array'; labels: Float64Array } | { kind: 'folder'; samples: [string, number][] };

/**
 * One batch of samples for a worker to read and transform: it starts from `state` (the first
 * batch of an epoch) or from the state the previous batch's worker hands on.
 */
export interface SampleJob {
  kind: 'samples';
  id: number;
  indices: Int32Array;
  state?: GeneratorState;
}

/** A worker's answer: the batch, or the error it met. */
export interface BatchResult {
  id: number;
  out?: Float32Array | Float64Array | Uint8Array;
  shape?: number[];
  dtype?: DType;
  labels?: Float64Array;
  state?: GeneratorState;
  error?: string;
}

/** One batch for a worker: sample indices, their maps, the table. */
export interface BatchJob {
  kind: 'maps';
  id: number;
  indices: Int32Array;
  maps: BatchMaps;
  lut: Float32Array | null;
  fillLevel: number;
}

/** Tells a worker to finish the jobs before it and end its thread by itself. */
export interface StopJob {
  kind: 'stop';
}

/** Worker threads over one dataset, as the DataLoader uses them. */
export interface LoaderWorkerPool {
  readonly count: number;
  submit(k: number, job: BatchJob | SampleJob): void;
  take(k: number, id: number): BatchResult;
  close(): Promise<unknown>;
}

type StartWorkers = (
  count: number,
  pixels: Uint8Array,
  shape: [number, number, number],
  timeoutMs: number,
  extra?: { dataset?: DatasetDescriptor; transform?: unknown },
) => LoaderWorkerPool;

let start: StartWorkers | null = null;

/** Called once by `loader_workers.ts` when it loads. */
export function provideLoaderWorkers(f: StartWorkers): void {
  start = f;
}

/** Refuses `numWorkers > 0` where there are no worker threads to run them. */
export function checkLoaderWorkers(): void {
  if (!start)
    throw new RangeError(
      "DataLoader: not supported: numWorkers > 0 in this runtime (the loader's workers are Node worker threads); use numWorkers: 0",
    );
}

/** Starts the loader's worker threads. */
export function startLoaderWorkers(...args: Parameters<StartWorkers>): LoaderWorkerPool {
  checkLoaderWorkers();
  return start!(...args);
}

/** Marks a dataset of image files that the workers read themselves (ImageFolder). */
export const FILE_SAMPLES: unique symbol = Symbol('torchlit.fileSamples');

/** A dataset whose samples are image files: paths and labels, and whether it has a custom loader. */
export interface FileSamples {
  readonly [FILE_SAMPLES]: true;
  readonly samples: [string, number][];
  readonly hasCustomLoader: boolean;
  readonly transform?: unknown;
  readonly targetTransform?: unknown;
}

/** Whether `ds` is a dataset of image files. */
export function hasFileSamples(ds: unknown): ds is FileSamples {
  return typeof ds === 'object' && ds !== null && FILE_SAMPLES in ds;
}
