// Everything that runs the same in Node.js and in a browser: tensors, autograd, kernels, nn,
// optim, the tutorial models and compiled steps. The entry points add what is theirs.
import './autograd/methods.js';

export { Tensor, type NestedArray, type GradFn } from './tensor/tensor.js';
export type { DType, Storage } from './tensor/dtype.js';
export type { Shape } from './tensor/shape.js';
export type { Operand } from './autograd/ops/elementwise.js';
export type { BackwardOptions } from './autograd/engine.js';
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  arange,
  rand,
  randn,
  randint,
  randperm,
  type TensorOptions,
  type RandomOptions,
} from './tensor/creation.js';
export { Generator, manualSeed, defaultGenerator, type GeneratorState } from './tensor/generator.js';
export { formatSize, Size } from './tensor/format.js';
export { noGrad, isGradEnabled, setGradEnabled } from './autograd/grad_mode.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { matmul } from './autograd/ops/linalg.js';
export { stack } from './autograd/ops/join.js';
export {
  backend,
  setBackend,
  referenceBackend,
  wasmBackend,
  selectDefaultBackend,
  initBackend,
  type Backend,
  type NumArray,
  type FloatArray,
  type UnaryOp,
  type BinaryOp,
  type ReduceOp,
  type Conv2dGeometry,
  type SgdHyper,
  type AdamHyper,
} from './backend/index.js';
export * as nn from './nn/index.js';
export * as F from './nn/functional.js';
export * as optim from './optim/index.js';
export * as models from './models/index.js';
export { compileStep, type TrainStep, type LossFn } from './compile/step.js';
export { withArena } from './compile/arena.js';
