// Everything that runs the same in Node.js and in a browser: tensors, autograd, kernels, nn,
// optim, the tutorial models and compiled steps. The entry points add what is theirs.
import './models/setup.js';

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
  fullLike,
  randLike,
  randnLike,
  eye,
  linspace,
  type TensorOptions,
  type RandomOptions,
} from './tensor/creation.js';
export { Generator, manualSeed, defaultGenerator, type GeneratorState } from './tensor/generator.js';
export { formatSize, Size } from './tensor/format.js';
export { noGrad, isGradEnabled, setGradEnabled } from './autograd/grad_mode.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { matmul } from './autograd/ops/linalg.js';
export { stack } from './autograd/ops/join.js';
export { sigmoid, tanh, log1p, exp, log, sqrt, abs } from './autograd/ops/elementwise.js';
export {
  sin,
  cos,
  floor,
  ceil,
  round,
  trunc,
  sign,
  reciprocal,
  rsqrt,
  square,
  maximum,
  minimum,
  logicalAnd,
  logicalOr,
  logicalXor,
  logicalNot,
  isnan,
  isinf,
  isfinite,
  erf,
  erfinv,
} from './autograd/ops/math.js';
export {
  cat,
  cat as concat,
  split,
  chunk,
  unbind,
  flip,
  roll,
  tril,
  triu,
  movedim,
  gather,
  scatter,
  scatterAdd,
  where,
  sort,
  argsort,
  topk,
  cumsum,
} from './autograd/ops/indexing.js';
export {
  variance,
  std,
  amax,
  amin,
  logsumexp,
  norm,
  prod,
  any,
  all,
  isclose,
  allclose,
  type Dims,
  type VarOptions,
  type CloseOptions,
} from './autograd/ops/statistics.js';
export { mm, bmm, einsum } from './autograd/ops/einsum.js';
export { retainGrad, registerHook } from './autograd/methods_ops.js';
export type { GradHook, HookHandle } from './autograd/node.js';
export * as autograd from './autograd/autograd.js';
export {
  backend,
  setBackend,
  referenceBackend,
  wasmBackend,
  selectDefaultBackend,
  initBackend,
  getNumThreads,
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
