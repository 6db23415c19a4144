// What `trainInWorker` and its worker say to each other.
import type { EvalResult } from '../train/evaluate.js';
import type { BatchInfo } from '../train/fit_options.js';
import type { History } from '../train/history.js';

/**
 * A run for `trainInWorker`: a zoo model, an MNIST-format dataset in a folder on the page's server,
 * and the settings that differ from the model's tutorial (`models.zoo[model].defaults`).
 */
export interface WorkerTrainSpec {
  /** A zoo name that takes 28 x 28 gray images: net, mlp, fmnist-v0, fmnist-v1, tinyvgg, lenet. */
  model: string;
  /** The folder of the dataset's IDX files, as `datasets.MNIST({ url })` takes it; relative to the page. */
  url: string;
  /** Which family the files are (the class names): mnist (default), fashion-mnist or kmnist. */
  dataset?: 'mnist' | 'fashion-mnist' | 'kmnist';
  epochs?: number;
  lr?: number;
  momentum?: number;
  batchSize?: number;
  testBatchSize?: number;
  logInterval?: number;
  seed?: number;
}

/** The worker's messages, in order: ready, then log/batch/test/epoch while it trains, then done or error. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'log'; line: string }
  | { type: 'batch'; info: BatchInfo }
  | { type: 'test'; epoch: number; result: EvalResult }
  | { type: 'epoch'; epoch: number; history: History }
  | { type: 'done'; result: WorkerTrainResult }
  | { type: 'error'; message: string };

/** The page's messages: the run to start, or a request to stop after the current batch. */
export type ToWorker = { type: 'start'; spec: WorkerTrainSpec } | { type: 'stop' };

/** What a worker run ends with: fit's history and last test, and the trained state as safetensors bytes. */
export interface WorkerTrainResult {
  history: History;
  test: EvalResult | null;
  trainTimeS: number;
  /** Whether it was stopped before its last epoch. */
  stopped: boolean;
  /** `io.modelBytes(model)`: load it with `io.loadModelBytes` into the same zoo model. */
  model: Uint8Array;
  optimizer: Uint8Array;
}

export const SPEC_KEYS = [
  'model',
  'url',
  'dataset',
  'epochs',
  'lr',
  'momentum',
  'batchSize',
  'testBatchSize',
  'logInterval',
  'seed',
] as const;
