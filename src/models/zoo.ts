import type { Module } from '../nn/module.js';
import type { TtaMode } from '../train/tta_views.js';
import { FashionMNISTModelV0, FashionMNISTModelV1, FashionMNISTModelV2 } from './fashion.js';
import { MLP } from './mlp.js';
import { Net } from './net.js';
import { Network } from './network.js';
import { BatchNormCNN } from './bn_cnn.js';
import { ResNet8 } from './resnet.js';
import { FastCNN } from './fast_cnn.js';

/** A dataset's command-line name: mnist, fashion-mnist, cifar10, imagefolder:DIR, ... (src/run/datasets.ts lists them). */
export type DatasetName = string;
/** The optimizers the zoo's settings name. */
export type OptimizerName = 'sgd' | 'adam';
/** The losses the zoo's settings name: `F.nllLoss` or `F.crossEntropy`. */
export type LossName = 'nll' | 'cross-entropy';

/** A tutorial's training settings: what `torchlit train` uses unless told otherwise. */
export interface HyperParams {
  dataset: DatasetName;
  optimizer: OptimizerName;
  lr: number;
  /** SGD only. */
  momentum: number;
  batchSize: number;
  testBatchSize: number;
  epochs: number;
  /** Normalize(mean, std) after ToTensor, or null for ToTensor alone. */
  normalize: [number, number] | null;
  /** 'nll' for models ending in log_softmax, 'cross-entropy' for models returning logits. */
  loss: LossName;
  logInterval: number;
  seed: number;
  /** L2 weight decay of the optimizer (default 0). */
  weightDecay?: number;
  /** SGD with Nesterov momentum (default false). */
  nesterov?: boolean;
  /** 'onecycle': OneCycleLR up to `lr` and down, stepped per batch over the whole run; 'constant' (default): `lr` throughout. */
  schedule?: 'constant' | 'onecycle';
  /** Cross-entropy's label smoothing (default 0). */
  labelSmoothing?: number;
  /** Augment the training split (`--augment`): crops for digits, crops and flips for photos. */
  augment?: boolean;
  /** Test-time augmentation of the run's last test (`--tta`): 'none' (default), 'hflip' or 'shift'. */
  tta?: TtaMode;
}

/** A zoo model: how to make it and its tutorial's training settings. */
export interface ZooEntry {
  name: string;
  description: string;
  /** A fresh model, initialised from the global generator, for images of `channels` and `classes` (where it `adapts`). */
  create(channels?: number, classes?: number): Module;
  /** Whether the model fits any image size, channel count and class count (the others take MNIST's 1 x 28 x 28, 10 classes). */
  adapts?: boolean;
  defaults: HyperParams;
}

const MNIST_NORMALIZE: [number, number] = [0.1307, 0.3081];
const common = { momentum: 0, testBatchSize: 1000, normalize: null, loss: 'cross-entropy', seed: 1 } as const;
const fashionSgd = {
  ...common,
  dataset: 'fashion-mnist',
  optimizer: 'sgd',
  lr: 0.1,
  batchSize: 32,
  epochs: 3,
  logInterval: 400,
} as const;

const batchNormSgd = {
  ...common,
  dataset: 'fashion-mnist',
  optimizer: 'sgd',
  lr: 0.05,
  momentum: 0.9,
  batchSize: 128,
  epochs: 3,
  logInterval: 100,
} as const;

/** The presets' recipe: SGD with Nesterov momentum and weight decay, OneCycleLR, augmentation. */
const fastRecipe = {
  ...common,
  optimizer: 'sgd',
  lr: 0.1,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 5e-4,
  schedule: 'onecycle',
  augment: true,
  batchSize: 64,
  logInterval: 100,
} as const;

/** The seed tutorials' models under their command-line names. */
export const zoo: Record<string, ZooEntry> = {
  net: {
    name: 'net',
    description: "PyTorch's MNIST example CNN (two convolutions, Dropout2d, log_softmax)",
    create: () => new Net(),
    defaults: {
      ...common,
      dataset: 'mnist',
      optimizer: 'sgd',
      lr: 0.01,
      momentum: 0.5,
      batchSize: 64,
      epochs: 3,
      normalize: MNIST_NORMALIZE,
      loss: 'nll',
      logInterval: 10,
    },
  },
  mlp: {
    name: 'mlp',
    description: '784-64-64-10 multilayer perceptron with Dropout(0.1)',
    create: () => new MLP(),
    defaults: { ...common, dataset: 'mnist', optimizer: 'sgd', lr: 0.01, batchSize: 32, epochs: 5, logInterval: 200 },
  },
  'fmnist-v0': {
    name: 'fmnist-v0',
    description: 'FashionMNISTModelV0: Flatten, Linear(784, 10), Linear(10, 10)',
    create: () => new FashionMNISTModelV0(),
    defaults: { ...fashionSgd },
  },
  'fmnist-v1': {
    name: 'fmnist-v1',
    description: 'FashionMNISTModelV1: Flatten, Linear, ReLU, Linear, ReLU',
    create: () => new FashionMNISTModelV1(),
    defaults: { ...fashionSgd },
  },
  tinyvgg: {
    name: 'tinyvgg',
    description: 'FashionMNISTModelV2 (TinyVGG): two blocks of two 3x3 convolutions and max pooling, hiddenUnits 10',
    create: () => new FashionMNISTModelV2(1, 10, 10),
    defaults: { ...fashionSgd },
  },
  lenet: {
    name: 'lenet',
    description: 'Network: the LeNet-like CNN of the Fashion-MNIST Adam tutorial',
    create: () => new Network(),
    defaults: {
      ...common,
      dataset: 'fashion-mnist',
      optimizer: 'adam',
      lr: 0.01,
      batchSize: 100,
      epochs: 5,
      logInterval: 100,
    },
  },
  'bn-cnn': {
    name: 'bn-cnn',
    description: 'BatchNormCNN: four conv-BatchNorm-ReLU blocks (two strided), global average pooling, Linear',
    create: (channels, classes) => new BatchNormCNN(channels, classes),
    adapts: true,
    defaults: { ...batchNormSgd },
  },
  resnet8: {
    name: 'resnet8',
    description: 'ResNet8: a conv-BN-ReLU stem and three BasicBlocks of 16, 32 and 64 channels, global average pooling',
    create: (channels, classes) => new ResNet8(channels, classes),
    adapts: true,
    defaults: { ...batchNormSgd },
  },
  'mnist-fast': {
    name: 'mnist-fast',
    description:
      'FastCNN preset for MNIST: conv-BN-ReLU-maxpool stages of 16, 32 (two convolutions) and 96 channels, crops, label smoothing, OneCycleLR, shifted test',
    create: (channels, classes) => new FastCNN(channels, classes, { widths: [16, 32, 96], convs: [1, 2, 1] }),
    defaults: {
      ...fastRecipe,
      dataset: 'mnist',
      normalize: MNIST_NORMALIZE,
      epochs: 6,
      labelSmoothing: 0.1,
      tta: 'shift',
    },
  },
  'fashion-fast': {
    name: 'fashion-fast',
    description:
      'FastCNN preset for Fashion-MNIST: conv-BN-ReLU-maxpool stages of 32, 64 and 128 channels, crops, OneCycleLR',
    create: (channels, classes) => new FastCNN(channels, classes, { widths: [32, 64, 128] }),
    defaults: { ...fastRecipe, dataset: 'fashion-mnist', normalize: [0.286, 0.353], epochs: 15 },
  },
};

/** The zoo's model names, in the order `torchlit --help` lists them. */
export const modelNames = Object.keys(zoo);

/** The zoo entry for a command-line model name; the error lists the names there are. */
export function zooEntry(name: string): ZooEntry {
  const entry = Object.hasOwn(zoo, name) ? zoo[name] : undefined;
  if (!entry) throw new RangeError(`unknown model '${name}'; choose one of ${modelNames.join(', ')}`);
  return entry;
}
