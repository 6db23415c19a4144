import type { FloatArray, NumArray } from '../types.js';

function checkTarget(t: number, c: number): void {
  if (!(t >= 0 && t < c)) throw new RangeError(`Target ${t} is out of bounds: expected a class index in [0, ${c - 1}]`);
}

export function nllLoss(
  logp: FloatArray,
  target: NumArray,
  loss: FloatArray,
  n: number,
  c: number,
  weight: FloatArray | null,
  ignoreIndex: number,
  rowWeight: FloatArray,
): void {
  for (let i = 0; i < n; i++) {
    const t = target[i];
    if (t === ignoreIndex) {
      loss[i] = 0;
      rowWeight[i] = 0;
      continue;
    }
    checkTarget(t, c);
    const w = weight ? weight[t] : 1;
    loss[i] = -w * logp[i * c + t];
    rowWeight[i] = w;
  }
}

export function nllLossBackward(
  dloss: FloatArray,
  target: NumArray,
  dlogp: FloatArray,
  n: number,
  c: number,
  weight: FloatArray | null,
  ignoreIndex: number,
): void {
  dlogp.fill(0);
  for (let i = 0; i < n; i++) {
    const t = target[i];
    if (t !== ignoreIndex) dlogp[i * c + t] = -(weight ? weight[t] : 1) * dloss[i];
  }
}
