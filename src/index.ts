import './autograd/methods.js';
import { selectDefaultBackend } from './backend/index.js';

selectDefaultBackend();

export { Tensor, type NestedArray } from './tensor/tensor.js';
export type { DType } from './tensor/dtype.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, rand, randn, randint, randperm, type TensorOptions, type RandomOptions,
} from './tensor/creation.js';
export { Generator, manualSeed, defaultGenerator, type GeneratorState } from './tensor/generator.js';
export { formatSize, Size } from './tensor/format.js';
export { noGrad, isGradEnabled, setGradEnabled } from './autograd/grad_mode.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { matmul } from './autograd/ops/linalg.js';
export { backend, setBackend, referenceBackend, wasmBackend, selectDefaultBackend, type Backend } from './backend/index.js';
export * as nn from './nn/index.js';
export * as F from './nn/functional.js';
export * as optim from './optim/index.js';
export * as models from './models/index.js';
export * from './data/index.js';
export * as io from './io/index.js';
export { compileStep, type TrainStep, type LossFn } from './compile/step.js';
