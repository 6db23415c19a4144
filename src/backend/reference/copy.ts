import type { NumArray } from '../types.js';

export function fill(out: NumArray, value: number): void {
  out.fill(value);
}

export function copy(src: NumArray, out: NumArray): void {
  out.set(src.length === out.length ? src : src.subarray(0, out.length));
}

export function copyStrided(
  src: NumArray,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  out: NumArray,
): void {
  const nd = shape.length;
  const n = out.length;
  if (nd === 0) {
    out[0] = src[offset];
    return;
  }
  const len = shape[nd - 1];
  const step = strides[nd - 1];
  if (len === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  for (let o = 0; o < n;) {
    let p = base;
    for (let j = 0; j < len; j++, p += step) out[o++] = src[p];
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      base += strides[d];
      if (idx[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}
