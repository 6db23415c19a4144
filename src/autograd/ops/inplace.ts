// In-place forms. They write into the tensor's own storage (through its strides, so a view
// changes the tensor it views). As in PyTorch, a leaf that requires grad takes them only under
// noGrad; a tensor inside a graph does not take them at all (its saved values would change).
import { backend, type NumArray } from '../../backend/index.js';
import { castInto } from '../../tensor/cast.js';
import { normalFill, uniformFill } from '../../tensor/creation.js';
import { allocate, isFloating } from '../../tensor/dtype.js';
import type { Generator } from '../../tensor/generator.js';
import { broadcastShapes, formatShape, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { reportInPlace } from '../call_trace.js';
import { isGradEnabled } from '../grad_mode.js';
import { toTensor, type Operand } from './elementwise.js';
import { binaryKernel, resultType, unaryKernel } from './kernels.js';
import { expand } from './shape.js';

function checkInPlace(t: Tensor, op: string): void {
  reportInPlace(op, t);
  if (!isGradEnabled()) return;
  if (t.requiresGrad && t.isLeaf)
    throw new Error(
      `${op}: a leaf Variable that requires grad is being used in an in-place operation (wrap it in noGrad)`,
    );
  if (t.gradFn)
    throw new Error(
      `${op}: not supported: in-place operations on a tensor that is part of an autograd graph; use the out-of-place form`,
    );
}

/** Writes `values` (contiguous, t's shape, any dtype) into t's storage through its strides. */
function writeInto(t: Tensor, values: NumArray, fromFloating: boolean): Tensor {
  const n = t.numel();
  const cast = allocate(t.dtype, n);
  castInto(values, cast, t.dtype, fromFloating);
  if (t.isContiguous()) {
    backend().copy(cast, t.data.subarray(t.offset, t.offset + n));
    return t;
  }
  const index = new Array<number>(t.ndim).fill(0);
  for (let i = 0; i < n; i++) {
    let at = t.offset;
    for (let d = 0; d < t.ndim; d++) at += index[d] * t.strides[d];
    t.data[at] = cast[i];
    for (let d = t.ndim - 1; d >= 0; d--) {
      if (++index[d] < t.shape[d]) break;
      index[d] = 0;
    }
  }
  return t;
}

function binaryInPlace(op: 'add' | 'sub' | 'mul' | 'div', t: Tensor, other: Operand, name: string): Tensor {
  checkInPlace(t, name);
  const b = toTensor(other, t);
  const shape = broadcastShapes(t.shape, b.shape);
  if (!sameShape(shape, t.shape))
    throw new RangeError(
      `output with shape ${formatShape(t.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  const type = op === 'div' && !isFloating(resultType(t, b)) ? 'float32' : resultType(t, b);
  if (isFloating(type) && !isFloating(t.dtype))
    throw new TypeError(
      `result type ${type === 'float32' ? 'Float' : 'Double'} can't be cast to the desired output type ${t.dtype}`,
    );
  const result = binaryKernel(op, t, b);
  return writeInto(t, result.values(), isFloating(result.dtype));
}

/**
 * this += other (times alpha), in place.
 * @pytorch `torch.Tensor.add_`
 */
export function add_(t: Tensor, other: Operand, alpha = 1): Tensor {
  return binaryInPlace(
    'add',
    t,
    alpha === 1 ? other : binaryKernel('mul', toTensor(other, t), toTensor(alpha, t)),
    'add_',
  );
}

/**
 * this -= other (times alpha), in place.
 * @pytorch `torch.Tensor.sub_`
 */
export function sub_(t: Tensor, other: Operand, alpha = 1): Tensor {
  return binaryInPlace(
    'sub',
    t,
    alpha === 1 ? other : binaryKernel('mul', toTensor(other, t), toTensor(alpha, t)),
    'sub_',
  );
}

/**
 * this *= other, in place.
 * @pytorch `torch.Tensor.mul_`
 */
export function mul_(t: Tensor, other: Operand): Tensor {
  return binaryInPlace('mul', t, other, 'mul_');
}

/**
 * this /= other, in place (float tensors only).
 * @pytorch `torch.Tensor.div_`
 */
export function div_(t: Tensor, other: Operand): Tensor {
  return binaryInPlace('div', t, other, 'div_');
}

/**
 * Every entry set to `value`, in place.
 * @pytorch `torch.Tensor.fill_`
 */
export function fill_(t: Tensor, value: number | boolean): Tensor {
  checkInPlace(t, 'fill_');
  const v = allocate(t.dtype, 1);
  castInto(Float64Array.of(Number(value)), v, t.dtype, true);
  if (t.isContiguous()) {
    backend().fill(t.data.subarray(t.offset, t.offset + t.numel()), v[0]);
    return t;
  }
  return writeInto(t, new Float64Array(t.numel()).fill(v[0]), isFloating(t.dtype));
}

/**
 * Every entry set to 0, in place.
 * @pytorch `torch.Tensor.zero_`
 */
export function zero_(t: Tensor): Tensor {
  return fill_(t, 0);
}

/**
 * src's values (broadcast to this shape, cast to this dtype) copied in.
 * @pytorch `torch.Tensor.copy_`
 */
export function copy_(t: Tensor, src: Tensor): Tensor {
  checkInPlace(t, 'copy_');
  return writeInto(t, expand(src, t.shape).values(), isFloating(src.dtype));
}

/**
 * Each entry clamped into [min, max], in place.
 * @pytorch `torch.Tensor.clamp_`
 */
export function clamp_(t: Tensor, min = -Infinity, max = Infinity): Tensor {
  checkInPlace(t, 'clamp_');
  if (min > max) throw new RangeError(`clamp: min (${min}) must not exceed max (${max})`);
  const result = unaryKernel('clamp', t, min, max);
  return writeInto(t, result.values(), isFloating(t.dtype));
}

/**
 * Uniform samples in [from, to), in place, drawn as PyTorch's uniform_.
 * @pytorch `torch.Tensor.uniform_`
 */
export function uniform_(t: Tensor, from = 0, to = 1, generator?: Generator): Tensor {
  checkInPlace(t, 'uniform_');
  if (!isFloating(t.dtype)) throw new TypeError(`uniform_ expects a floating point tensor, got ${t.dtype}`);
  if (from > to)
    throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  const values = allocate(t.dtype, t.numel());
  uniformFill(values, from, to, generator);
  return writeInto(t, values, true);
}

/**
 * Normal samples of mean and std, in place, drawn as PyTorch's normal_.
 * @pytorch `torch.Tensor.normal_`
 */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  checkInPlace(t, 'normal_');
  if (!isFloating(t.dtype)) throw new TypeError(`normal_ expects a floating point tensor, got ${t.dtype}`);
  if (std < 0) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const values = allocate(t.dtype, t.numel());
  normalFill(values, mean, std, generator);
  return writeInto(t, values, true);
}
