import { backend, type NumArray } from '../backend/index.js';
import { isFloating, type DType, type Storage } from './dtype.js';

const ZERO = Float64Array.of(0);

/**
 * Writes `src` into `out` as a tensor of `dtype` holds it, as PyTorch converts: anything nonzero
 * (NaN too) is true for bool, floats truncate toward zero for the integer dtypes (and uint8 wraps).
 */
export function castInto(src: NumArray, out: Storage, dtype: DType, fromFloating: boolean): void {
  if (dtype === 'bool') backend().binary('ne', src, [src.length], ZERO, [], out, [out.length]);
  else if (fromFloating && !isFloating(dtype)) backend().unary('trunc', src, out);
  else backend().copy(src, out);
}
