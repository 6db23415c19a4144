// Builds what a run needs from its settings: datasets, loaders, model, optimizer, loss.
import type { LossFn } from '../compile/step.js';
import { DataLoader } from '../data/dataloader.js';
import '../data/loader_workers.js';
import { randomSplit, Subset, type Dataset } from '../data/dataset.js';
import { Compose, Normalize, ToTensor, type Transform } from '../data/transforms.js';
import { augmentation, datasetShape, openDataset, sizing, type ImageDataset } from './datasets.js';
import { zooEntry, type HyperParams } from '../models/zoo.js';
import { UsageError } from './usage_error.js';
import * as F from '../nn/functional.js';
import type { Module } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { SGD } from '../optim/sgd.js';
import { OneCycleLR } from '../optim/schedulers/cyclic.js';
import type { AnyOptimizer } from '../optim/lr_scheduler.js';
import type { SchedulerOption } from '../train/fit_budget.js';
import { Generator, manualSeed } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';

/** Everything `torchlit train` needs to run (and to run again on --resume): saved as config.json. */
export interface RunConfig extends HyperParams {
  model: string;
  /** Where datasets are looked for and downloaded to (local copies are found anyway). */
  dataRoot: string;
  /** Training images held out to test on after each epoch (0: test on the test set). */
  valSplit: number;
  /** Train on the first N training images only (quick trials), or null for all. */
  trainSize: number | null;
  checkpointEvery: number;
  /** Train for this many seconds, tests included, the schedule fitted to them (`--time-budget`); `epochs` is then the most. */
  timeBudgetS?: number;
  /** The side image folders are resized and cropped to (`--image-size`, default 32). */
  imageSize?: number;
  /** DataLoader worker threads for the training batches (`--num-workers`, default 0). */
  numWorkers?: number;
}

export type Split = Dataset<[Tensor, number]>;

export function transformFor(cfg: Pick<HyperParams, 'normalize'>): Transform {
  return cfg.normalize
    ? new Compose([new ToTensor(), new Normalize([cfg.normalize[0]], [cfg.normalize[1]])])
    : new ToTensor();
}

/** The transforms of a split: sizing (image folders), augmentation (training, --augment), ToTensor, Normalize. */
export function splitTransform(
  cfg: Pick<RunConfig, 'dataset' | 'normalize' | 'augment' | 'imageSize'>,
  train: boolean,
): Transform {
  const size = cfg.imageSize ?? 32;
  const augmenting = train && cfg.augment === true;
  const geometric = augmenting
    ? cfg.dataset.startsWith('imagefolder:')
      ? augmentation(cfg.dataset, size)
      : [...sizing(cfg.dataset, size), ...augmentation(cfg.dataset, size)]
    : sizing(cfg.dataset, size);
  return geometric.length ? new Compose([...geometric, transformFor(cfg)]) : transformFor(cfg);
}

export async function loadDataset(
  cfg: Pick<RunConfig, 'dataset' | 'dataRoot' | 'normalize' | 'augment' | 'imageSize'>,
  train: boolean,
): Promise<ImageDataset> {
  return openDataset(cfg.dataset, cfg.dataRoot, train, splitTransform(cfg, train));
}

export interface RunData {
  classes: string[];
  train: Split;
  /** What is tested after each epoch: the validation split, or the test set. */
  monitor: Split;
  monitorName: 'Validation' | 'Test';
  test: ImageDataset;
  trainLoader: DataLoader<[Tensor, number]>;
  monitorLoader: DataLoader<[Tensor, number]>;
  testLoader: DataLoader<[Tensor, number]>;
}

export async function loadRunData(cfg: RunConfig): Promise<RunData> {
  const full = await loadDataset(cfg, true);
  const test = await loadDataset(cfg, false);
  for (const [split, ds] of [
    ['training', full],
    ['test', test],
  ] as const)
    if (ds.length === 0)
      throw new UsageError(`the ${split} split of ${cfg.dataset} in ${cfg.dataRoot} holds no images`);
  let train: Split = full;
  if (cfg.trainSize !== null) {
    if (cfg.trainSize > full.length)
      throw new UsageError(`--train-size ${cfg.trainSize} is more than the ${full.length} training images`);
    train = new Subset(
      full,
      Array.from({ length: cfg.trainSize }, (_, i) => i),
    );
  }
  let monitor: Split = test;
  if (cfg.valSplit > 0) {
    if (cfg.valSplit >= train.length)
      throw new UsageError(`--val-split ${cfg.valSplit} leaves no training images out of ${train.length}`);
    [train, monitor] = randomSplit(train, [train.length - cfg.valSplit, cfg.valSplit], new Generator(cfg.seed));
  }
  const testLoader = new DataLoader(test, { batchSize: cfg.testBatchSize });
  return {
    classes: full.classes,
    train,
    monitor,
    monitorName: cfg.valSplit > 0 ? 'Validation' : 'Test',
    test,
    trainLoader: new DataLoader(train, {
      batchSize: cfg.batchSize,
      shuffle: true,
      ...(cfg.numWorkers ? { numWorkers: cfg.numWorkers } : {}),
    }),
    monitorLoader: monitor === test ? testLoader : new DataLoader(monitor, { batchSize: cfg.testBatchSize }),
    testLoader,
  };
}

/** Settings for a new run: the model's tutorial defaults, then what the command line says. */
export function newRunConfig(model: string, given: Partial<RunConfig>): RunConfig {
  let entry;
  try {
    entry = zooEntry(model);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const cfg: RunConfig = {
    model,
    ...entry.defaults,
    dataRoot: 'data',
    valSplit: 0,
    trainSize: null,
    checkpointEvery: 0,
    ...given,
  };
  if (!given.checkpointEvery) cfg.checkpointEvery = cfg.logInterval;
  return cfg;
}

/** The model with the run's seed drawn first, so the same seed starts from the same weights; sized for the dataset where it can be. */
export function createModel(cfg: Pick<RunConfig, 'model' | 'seed' | 'dataset' | 'imageSize'>): Module {
  const entry = zooEntry(cfg.model);
  const shape = datasetShape(cfg.dataset);
  const size = shape.size ?? cfg.imageSize ?? 32;
  if (!entry.adapts && (shape.channels !== 1 || size !== 28 || shape.classes !== 10))
    throw new UsageError(
      `model ${cfg.model} takes 1 x 28 x 28 images in 10 classes; ${cfg.dataset} has ${shape.channels} x ${size} x ${size} images in ${shape.classes} classes. ` +
        'Use --model bn-cnn or resnet8, which fit any image size, channels and classes',
    );
  manualSeed(cfg.seed);
  return entry.create(shape.channels, shape.classes);
}

export function createOptimizer(
  cfg: Pick<HyperParams, 'optimizer' | 'lr' | 'momentum' | 'weightDecay' | 'nesterov'>,
  model: Module,
): Optimizer<object> {
  const weightDecay = cfg.weightDecay ?? 0;
  checkNesterov(cfg);
  if (cfg.optimizer === 'adam') return new Adam(model.parameters(), { lr: cfg.lr, weightDecay });
  return new SGD(model.parameters(), {
    lr: cfg.lr,
    momentum: cfg.momentum,
    nesterov: cfg.nesterov ?? false,
    weightDecay,
  });
}

function checkNesterov(cfg: Pick<HyperParams, 'optimizer' | 'momentum' | 'nesterov'>): void {
  if (!cfg.nesterov) return;
  if (cfg.optimizer === 'adam') throw new UsageError('--nesterov is an SGD option; Adam has no Nesterov momentum here');
  if (cfg.momentum === 0) throw new UsageError('--nesterov needs a momentum above 0 (--momentum 0.9, say)');
}

/** Refuses a recipe whose parts do not go together, before anything is written. */
export function checkRecipe(cfg: HyperParams): void {
  checkNesterov(cfg);
  lossFunction(cfg);
}

/** The run's learning-rate schedule, made for the steps it will train (its time budget's plan, or its epochs). */
export function createScheduler(
  cfg: Pick<HyperParams, 'schedule' | 'lr'>,
  optimizer: Optimizer<object>,
): SchedulerOption | undefined {
  if ((cfg.schedule ?? 'constant') === 'constant') return undefined;
  return (plan) => new OneCycleLR(optimizer as AnyOptimizer, cfg.lr, { totalSteps: Math.max(1, plan.totalSteps) });
}

export function lossFunction(cfg: Pick<HyperParams, 'loss' | 'labelSmoothing'>): LossFn {
  const labelSmoothing = cfg.labelSmoothing ?? 0;
  if (cfg.loss === 'nll') {
    if (labelSmoothing > 0)
      throw new UsageError(`--label-smoothing needs cross-entropy; this model's loss is nll (it ends in log_softmax)`);
    return (o, t) => F.nllLoss(o, t);
  }
  return labelSmoothing > 0 ? (o, t) => F.crossEntropy(o, t, { labelSmoothing }) : (o, t) => F.crossEntropy(o, t);
}
