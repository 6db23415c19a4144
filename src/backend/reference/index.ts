import type { Backend } from '../types.js';
import { batchNormApply, batchNormBackward, batchNormStats } from './batchnorm.js';
import { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from './conv.js';
import { copy, copyStrided, fill } from './copy.js';
import { binary, unary } from './elementwise.js';
import { bincount, gatherLookup, indexAdd, indexSelect, scatterDim } from './indexing.js';
import { nllLoss, nllLossBackward } from './loss.js';
import { matmul } from './matmul.js';
import { adamStep, sgdStep } from './optim.js';
import { maxPool2dBackward, maxPool2dForward } from './pool.js';
import { reduce } from './reduce.js';
import { softmax, softmaxBackward } from './softmax.js';

/** Plain TypeScript kernels: the reference every faster backend is tested against. */
export const referenceBackend: Backend = {
  name: 'reference',
  fill,
  copy,
  copyStrided,
  unary,
  binary,
  reduce,
  matmul,
  conv2dForward,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  maxPool2dForward,
  maxPool2dBackward,
  softmax,
  softmaxBackward,
  nllLoss,
  nllLossBackward,
  indexSelect,
  indexAdd,
  scatterDim,
  bincount,
  gatherLookup,
  sgdStep,
  adamStep,
  batchNormStats,
  batchNormApply,
  batchNormBackward,
};
