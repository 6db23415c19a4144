import type { FloatArray } from '../types.js';

const keep = (v: number) => v;

/** Rounds to the storage's precision: float32 kernels compute their per-channel terms in float32. */
function rounder(a: FloatArray): (v: number) => number {
  return a instanceof Float32Array ? Math.fround : keep;
}

// Batch normalisation over x viewed as [n, c, hw], channel by channel, as PyTorch's CPU kernels
// compute it: sums in double precision, the output as x * alpha + beta.

/**
 * mean[c] and invstd[c] = 1 / sqrt(var + eps) of each channel (biased variance, two passes).
 * Where `runMean` is given, also tracked += 1 and running = (1 - f) running + f batch (the
 * variance unbiased) with f = momentum, or 1 / tracked when momentum is null.
 */
export function batchNormStats(
  x: FloatArray,
  mean: FloatArray,
  invstd: FloatArray,
  runMean: FloatArray | null,
  runVar: FloatArray | null,
  tracked: Float64Array | null,
  n: number,
  c: number,
  hw: number,
  eps: number,
  momentum: number | null,
): void {
  const count = n * hw;
  if (tracked) tracked[0] += 1;
  const factor = momentum ?? (tracked ? 1 / tracked[0] : 0);
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    for (let s = 0; s < n; s++) {
      const base = (s * c + ch) * hw;
      for (let i = 0; i < hw; i++) sum += x[base + i];
    }
    const m = sum / count;
    const mf = rounder(x)(m);
    let varSum = 0;
    for (let s = 0; s < n; s++) {
      const base = (s * c + ch) * hw;
      for (let i = 0; i < hw; i++) {
        const d = x[base + i] - mf;
        varSum += d * d;
      }
    }
    mean[ch] = m;
    invstd[ch] = 1 / Math.sqrt(varSum / count + eps);
    if (runMean && runVar) {
      runMean[ch] = factor * m + (1 - factor) * runMean[ch];
      runVar[ch] = factor * (varSum / (count - 1)) + (1 - factor) * runVar[ch];
    }
  }
}

/** The per-channel alpha = invstd w, beta = b - mean alpha; in evaluation `stat` is the running variance. */
function channelTerms(
  ch: number,
  mean: FloatArray,
  stat: FloatArray,
  weight: FloatArray | null,
  bias: FloatArray | null,
  eps: number,
  fromVar: boolean,
): [number, number, number] {
  const r = rounder(stat);
  const invstd = fromVar ? r(1 / r(Math.sqrt(r(stat[ch] + eps)))) : stat[ch];
  const alpha = r(invstd * (weight ? weight[ch] : 1));
  const beta = r((bias ? bias[ch] : 0) - r(mean[ch] * alpha));
  return [invstd, alpha, beta];
}

/**
 * out = x * alpha[c] + beta[c]. `stat` is invstd (training: the batch's statistics) or, with
 * `fromVar`, the running variance (evaluation).
 */
export function batchNormApply(
  x: FloatArray,
  mean: FloatArray,
  stat: FloatArray,
  weight: FloatArray | null,
  bias: FloatArray | null,
  out: FloatArray,
  n: number,
  c: number,
  hw: number,
  eps: number,
  fromVar: boolean,
): void {
  for (let ch = 0; ch < c; ch++) {
    const [, alpha, beta] = channelTerms(ch, mean, stat, weight, bias, eps, fromVar);
    for (let s = 0; s < n; s++) {
      const base = (s * c + ch) * hw;
      for (let i = 0; i < hw; i++) out[base + i] = x[base + i] * alpha + beta;
    }
  }
}

/**
 * The gradients of batchNormApply: dweight = sum(dy (x - mean)) invstd, dbias = sum(dy), and dx;
 * in training (statistics of the batch) dx = (dy - sum(dy)/N - (x - mean) k) invstd w with
 * k = sum(dy (x - mean)) invstd^2 / N, in evaluation dx = dy invstd w. Null outputs are skipped.
 */
export function batchNormBackward(
  x: FloatArray,
  dy: FloatArray,
  mean: FloatArray,
  stat: FloatArray,
  weight: FloatArray | null,
  dx: FloatArray | null,
  dweight: FloatArray | null,
  dbias: FloatArray | null,
  n: number,
  c: number,
  hw: number,
  eps: number,
  fromVar: boolean,
): void {
  const count = n * hw;
  for (let ch = 0; ch < c; ch++) {
    const [invstd] = channelTerms(ch, mean, stat, weight, null, eps, fromVar);
    const m = mean[ch];
    let sum = 0;
    let dotp = 0;
    for (let s = 0; s < n; s++) {
      const base = (s * c + ch) * hw;
      for (let i = 0; i < hw; i++) {
        sum += dy[base + i];
        dotp += (x[base + i] - m) * dy[base + i];
      }
    }
    if (dweight) dweight[ch] = dotp * invstd;
    if (dbias) dbias[ch] = sum;
    if (!dx) continue;
    const w = weight ? weight[ch] : 1;
    const r = rounder(x);
    const scale = r(invstd * w);
    if (fromVar) {
      for (let s = 0; s < n; s++) {
        const base = (s * c + ch) * hw;
        for (let i = 0; i < hw; i++) dx[base + i] = dy[base + i] * scale;
      }
      continue;
    }
    const k = r((dotp * invstd * invstd) / count);
    const gradMean = r(sum / count);
    for (let s = 0; s < n; s++) {
      const base = (s * c + ch) * hw;
      for (let i = 0; i < hw; i++) dx[base + i] = (dy[base + i] - gradMean - (x[base + i] - m) * k) * scale;
    }
  }
}
