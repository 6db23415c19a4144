/**
 * Learning-rate schedulers: the rate of each parameter group, set at every `step()`, equal to
 * PyTorch 1.13's at every step. Per-epoch ones step after each epoch; OneCycleLR and CyclicLR
 * after each batch; ReduceLROnPlateau takes the metric, `step(metric)`.
 * @pytorch `torch.optim.lr_scheduler`
 * @module
 */
export { LRScheduler, type AnyOptimizer, type Scheduler, type SchedulerState } from './schedulers/base.js';
export {
  StepLR,
  MultiStepLR,
  ConstantLR,
  LinearLR,
  ExponentialLR,
  PolynomialLR,
  type SchedulerOptions,
} from './schedulers/step.js';
export { LambdaLR, MultiplicativeLR, type LrLambda } from './schedulers/lambda.js';
export { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './schedulers/cosine.js';
export { CyclicLR, OneCycleLR, type CyclicLROptions, type OneCycleLROptions } from './schedulers/cyclic.js';
export { SequentialLR, ChainedScheduler } from './schedulers/combined.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/plateau.js';
