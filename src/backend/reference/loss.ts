import type { FloatArray, NumArray } from '../types.js';

function checkTarget(t: number, c: number): void {
  if (!(t >= 0 && t < c)) throw new RangeError(`Target ${t} is out of bounds: expected a class index in [0, ${c - 1}]`);
}

export function nllLoss(logp: FloatArray, target: NumArray, loss: FloatArray, n: number, c: number): void {
  for (let i = 0; i < n; i++) {
    const t = target[i];
    checkTarget(t, c);
    loss[i] = -logp[i * c + t];
  }
}

export function nllLossBackward(dloss: FloatArray, target: NumArray, dlogp: FloatArray, n: number, c: number): void {
  dlogp.fill(0);
  for (let i = 0; i < n; i++) dlogp[i * c + target[i]] = -dloss[i];
}
