import { backend } from '../../backend/index.js';
import { promote } from '../../tensor/dtype.js';
import { formatShape, numelOf, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';
import { to } from './misc.js';

/**
 * Joins equal-shaped tensors along a new dim `dim` (negative counts from the end of the result),
 * promoting them to a common dtype. Differentiable.
 * @pytorch `torch.stack`
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('stack expects a non-empty TensorList');
  const first = tensors[0];
  const ndim = first.ndim + 1;
  const d = dim < 0 ? dim + ndim : dim;
  if (!Number.isInteger(d) || d < 0 || d >= ndim)
    throw new RangeError(`Dimension out of range (expected to be in range of [${-ndim}, ${ndim - 1}], but got ${dim})`);
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape))
      throw new RangeError(
        `stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
  });
  const dtype = tensors.map((t) => t.dtype).reduce(promote);
  const inputs = tensors.map((t) => to(t, dtype));
  const n = inputs.length;
  const outer = numelOf(first.shape.slice(0, d));
  const inner = numelOf(first.shape.slice(d));
  const out = Tensor.empty([...first.shape.slice(0, d), n, ...first.shape.slice(d)], dtype);
  inputs.forEach((t, i) => {
    const src = t.values();
    for (let o = 0; o < outer; o++) {
      const at = (o * n + i) * inner;
      backend().copy(src.subarray(o * inner, (o + 1) * inner), out.data.subarray(at, at + inner));
    }
  });
  return record('StackBackward0', out, inputs, (g) => {
    const gv = g.values();
    return inputs.map((t, i) => {
      if (!t.requiresGrad) return null;
      const gi = Tensor.empty(t.shape, g.dtype);
      for (let o = 0; o < outer; o++) {
        const at = (o * n + i) * inner;
        backend().copy(gv.subarray(at, at + inner), gi.data.subarray(o * inner, (o + 1) * inner));
      }
      return gi;
    });
  });
}
