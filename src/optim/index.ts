/**
 * Optimizers with parameter groups and state dicts, and learning-rate schedulers.
 * @pytorch `torch.optim`
 * @module
 */
export { Optimizer, type OptimizerStateDict, type ParamState, type ParamGroup } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export * as lr_scheduler from './lr_scheduler.js';
