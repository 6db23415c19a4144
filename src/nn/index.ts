/**
 * Modules and layers: `Module`, `Parameter`, `Linear`, `Conv2d`, `Sequential`, ...
 * @pytorch `torch.nn`
 * @module
 */
export { Module, type StateDict, type LoadResult, type ForwardHook } from './module.js';
export { Parameter } from './parameter.js';
export * from './layers.js';
export * from './loss_modules.js';
export * from './activation_layers.js';
export * from './pool_layers.js';
export { ModuleDict, ModuleList, ParameterList } from './containers.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm.js';
export { LayerNorm, GroupNorm, type LayerNormOptions, type GroupNormOptions } from './normalization.js';
export { Conv1d, ConvTranspose2d, type Conv1dLayerOptions, type ConvTranspose2dLayerOptions } from './convolutions.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { ZeroPad2d } from './padding.js';
export { Upsample } from './interpolate.js';
export * as init from './init.js';
export * as utils from './utils.js';
export * as functional from './functional.js';
