/**
 * `torch.autograd`: gradients returned instead of accumulated.
 * @module
 */
export { grad, type GradOptions } from './engine.js';
