export { Optimizer, type OptimizerStateDict, type ParamState, type ParamGroup } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export * as lr_scheduler from './lr_scheduler.js';
