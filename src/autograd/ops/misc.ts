import { backend } from '../../backend/index.js';
import { type DType, isFloating } from '../../tensor/dtype.js';
import { castInto } from '../../tensor/cast.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';

export function clone(t: Tensor): Tensor {
  const out = Tensor.empty(t.shape, t.dtype);
  backend().copy(t.values(), out.data);
  return record('CloneBackward0', out, [t], (g) => [g]);
}

/** Shares storage with `t` but is cut from the graph. */
export function detach(t: Tensor): Tensor {
  return new Tensor(t.data, t.shape, t.dtype, t.strides, t.offset);
}

export function to(t: Tensor, dtype: DType): Tensor {
  if (dtype === t.dtype) return t;
  const out = Tensor.empty(t.shape, dtype);
  castInto(t.values(), out.data, dtype, isFloating(t.dtype));
  if (!isFloating(dtype) || !isFloating(t.dtype)) return out;
  return record('ToCopyBackward0', out, [t], (g) => [to(g, t.dtype)]);
}

export function bincount(t: Tensor, minlength = 0): Tensor {
  if (t.ndim !== 1 || isFloating(t.dtype))
    throw new TypeError(`bincount only supports 1-d non-negative integral inputs, got ${t.dtype} of ${t.ndim} dims`);
  const v = t.values();
  const range = new Float64Array(2);
  if (v.length > 0) {
    backend().reduce('min', v, 1, v.length, 1, range.subarray(0, 1));
    backend().reduce('max', v, 1, v.length, 1, range.subarray(1, 2));
  } else range[1] = -1;
  if (range[0] < 0)
    throw new RangeError('bincount only supports 1-d non-negative integral inputs: found a negative value');
  const max = range[1];
  const out = Tensor.empty([Math.max(minlength, max + 1)], 'int64');
  backend().bincount(v, out.data);
  return out;
}
