import type { NumArray, ReduceOp } from '../types.js';

export function reduce(op: ReduceOp, a: NumArray, outer: number, size: number, inner: number, out: NumArray): void {
  switch (op) {
    case 'sum':
      return sum(a, outer, size, inner, out);
    case 'max':
    case 'argmax':
      return extreme(a, outer, size, inner, out, 1, op === 'argmax');
    case 'min':
    case 'argmin':
      return extreme(a, outer, size, inner, out, -1, op === 'argmin');
  }
}

function sum(a: NumArray, outer: number, size: number, inner: number, out: NumArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = o * size;
      for (let i = 0; i < size; i++) s += a[base + i];
      out[o] = s;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * size * inner;
    for (let s = 0; s < size; s++) {
      const row = base + s * inner;
      for (let i = 0; i < inner; i++) acc[i] += a[row + i];
    }
    out.set(acc, o * inner);
  }
}

/** sign 1 finds the maximum, -1 the minimum; NaN wins as in PyTorch; ties keep the first index. */
function extreme(
  a: NumArray,
  outer: number,
  size: number,
  inner: number,
  out: NumArray,
  sign: number,
  wantIndex: boolean,
): void {
  if (size === 0) throw new RangeError('cannot reduce over a zero-size dimension');
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = a[base + i];
      let bestIdx = 0;
      for (let s = 1; s < size && best === best; s++) {
        const v = a[base + s * inner + i];
        if (v !== v || (v - best) * sign > 0) {
          best = v;
          bestIdx = s;
        }
      }
      out[o * inner + i] = wantIndex ? bestIdx : best;
    }
  }
}
