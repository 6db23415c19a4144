import type { FloatArray } from '../backend/index.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** The float storage of a float tensor, for the kernels. */
export function floats(t: Tensor): FloatArray {
  return t.values() as FloatArray;
}

/** Throws the TypeError PyTorch users expect when an op that needs floats gets integers. */
export function requireFloat(t: Tensor, what: string): void {
  if (!isFloating(t.dtype))
    throw new TypeError(`${what} expects a floating point input, got ${t.dtype}; call .float() first`);
}
