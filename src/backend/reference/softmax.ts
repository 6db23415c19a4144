import type { FloatArray } from '../types.js';

export function softmax(
  x: FloatArray,
  out: FloatArray,
  outer: number,
  size: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let s = 0; s < size; s++) max = Math.max(max, x[base + s * inner]);
      let total = 0;
      for (let s = 0; s < size; s++) total += Math.exp(x[base + s * inner] - max);
      if (log) {
        const shift = max + Math.log(total);
        for (let s = 0; s < size; s++) out[base + s * inner] = x[base + s * inner] - shift;
      } else {
        for (let s = 0; s < size; s++) out[base + s * inner] = Math.exp(x[base + s * inner] - max) / total;
      }
    }
  }
}

export function softmaxBackward(
  dy: FloatArray,
  y: FloatArray,
  dx: FloatArray,
  outer: number,
  size: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let dot = 0;
      for (let s = 0; s < size; s++) {
        const k = base + s * inner;
        dot += log ? dy[k] : dy[k] * y[k];
      }
      for (let s = 0; s < size; s++) {
        const k = base + s * inner;
        dx[k] = log ? dy[k] - Math.exp(y[k]) * dot : y[k] * (dy[k] - dot);
      }
    }
  }
}
