import { backend, type FloatArray } from '../../backend/index.js';
import { allocate, isFloating } from '../../tensor/dtype.js';
import { formatShape, numelOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { record } from '../record.js';
import { expand, reshape, squeeze, unsqueeze } from './shape.js';

/**
 * Batched op(a) @ op(b) over [batch, rows, cols] operands (batch may be 1 on either side for a
 * shared matrix), with transposes taken by the kernel instead of copied. Differentiable.
 */
export function mmFlags(a: Tensor, b: Tensor, transA: boolean, transB: boolean, outShape?: readonly number[]): Tensor {
  const [ba, ra, ca] = a.shape;
  const [bb, rb, cb] = b.shape;
  const m = transA ? ca : ra;
  const k = transA ? ra : ca;
  const kb = transB ? cb : rb;
  const n = transB ? rb : cb;
  if (k !== kb) {
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${kb}x${n})`);
  }
  const batch = Math.max(ba, bb);
  const out = Tensor.empty(outShape ?? [batch, m, n], a.dtype);
  const av = a.values() as FloatArray;
  const bv = b.values() as FloatArray;
  const sizeA = ra * ca;
  const sizeB = rb * cb;
  for (let i = 0; i < batch; i++) {
    const aa = ba === 1 ? av.subarray(0, sizeA) : av.subarray(i * sizeA, (i + 1) * sizeA);
    const bbv = bb === 1 ? bv.subarray(0, sizeB) : bv.subarray(i * sizeB, (i + 1) * sizeB);
    backend().matmul(
      aa,
      bbv,
      (out.data as FloatArray).subarray(i * m * n, (i + 1) * m * n),
      m,
      n,
      k,
      transA,
      transB,
      false,
    );
  }
  return record(batch === 1 ? 'MmBackward0' : 'BmmBackward0', out, [a, b], (gOut) => {
    const g = outShape ? reshape(gOut, [batch, m, n]) : gOut;
    const ga = a.requiresGrad ? (transA ? mmFlags(b, g, transB, true) : mmFlags(g, b, false, !transB)) : null;
    const gb = b.requiresGrad ? (transB ? mmFlags(g, a, true, transA) : mmFlags(a, g, !transA, false)) : null;
    return [ga && sumBatch(ga, ba), gb && sumBatch(gb, bb)];
  });
}

/** Sums the gradient over the batch when the operand was shared by every batch entry. */
function sumBatch(g: Tensor, batch: number): Tensor {
  if (batch === g.shape[0]) return g;
  const [n, r, c] = g.shape;
  const out = Tensor.empty([1, r, c], g.dtype);
  const ones = allocate(g.dtype, n) as FloatArray;
  backend().fill(ones, 1);
  backend().matmul(ones, g.values() as FloatArray, out.data as FloatArray, 1, r * c, n, false, false, false);
  return out;
}

/** torch.matmul for 1-D, 2-D and batched operands. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== b.dtype)
    throw new TypeError(`matmul: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
  // int64 values sit in float64 storage: products and sums are exact below 2^53.
  if (!isFloating(a.dtype) && a.dtype !== 'int64')
    throw new TypeError(`matmul: not supported: ${a.dtype} operands (float32, float64 or int64)`);
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError('both arguments to matmul need to be at least 1D');
  if (a.ndim === 1 && b.ndim === 1) return reshape(matmul(unsqueeze(a, 0), unsqueeze(b, -1)), []);
  if (a.ndim === 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.ndim === 1) return squeeze(matmul(a, unsqueeze(b, -1)), -1);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) {
    throw new RangeError(
      `mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${k2}x${n}): shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const nb = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const da = batchA[batchA.length - nb + i] ?? 1;
    const db = batchB[batchB.length - nb + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new RangeError(`matmul: batch dims ${formatShape(batchA)} and ${formatShape(batchB)} do not broadcast`);
    batch.push(Math.max(da, db));
  }
  const count = numelOf(batch);
  const as3 = numelOf(batchA) === 1 ? reshape(a, [1, m, k]) : reshape(expand(a, [...batch, m, k]), [count, m, k]);
  const bs3 = numelOf(batchB) === 1 ? reshape(b, [1, k, n]) : reshape(expand(b, [...batch, k, n]), [count, k, n]);
  return mmFlags(as3, bs3, false, false, [...batch, m, n]);
}
