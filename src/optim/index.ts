/**
 * Optimizers with parameter groups and state dicts, and learning-rate schedulers.
 * @pytorch `torch.optim`
 * @module
 */
export { Optimizer, type OptimizerStateDict, type ParamState, type ParamGroup } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { NAdam, type NAdamOptions } from './nadam.js';
export { RAdam, type RAdamOptions } from './radam.js';
export * as lr_scheduler from './lr_scheduler.js';
export * as swa_utils from './swa_utils.js';
