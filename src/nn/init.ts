/**
 * Parameter initialisation in place, drawing as PyTorch draws.
 * @pytorch `torch.nn.init`
 * @module
 */
import { erf, erfinv } from '../backend/reference/erf.js';
import { uniformFill, normalFill } from '../tensor/creation.js';
import type { Generator } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';

function writable(t: Tensor): Tensor {
  if (!t.isContiguous()) throw new Error('init functions need a contiguous tensor');
  return t;
}

function region(t: Tensor) {
  return writable(t).data.subarray(t.offset, t.offset + t.numel());
}

/**
 * The fan-in and fan-out of a weight of 2 or more dims.
 * @pytorch `torch.nn.init._calculate_fan_in_and_fan_out`
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2)
    throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/**
 * The recommended gain for a nonlinearity.
 * @pytorch `torch.nn.init.calculate_gain`
 */
export function calculateGain(
  nonlinearity: 'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid',
  param?: number,
): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope ** 2));
    }
  }
}

/**
 * Fills `t` with uniform samples in [low, high).
 * @pytorch `torch.nn.init.uniform_`
 */
export function uniform_(t: Tensor, low = 0, high = 1, generator?: Generator): Tensor {
  uniformFill(region(t), low, high, generator);
  return t;
}

/**
 * Fills `t` with normal samples of `mean` and `std`.
 * @pytorch `torch.nn.init.normal_`
 */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  normalFill(region(t), mean, std, generator);
  return t;
}

/**
 * Fills `t` with `value`.
 * @pytorch `torch.nn.init.constant_`
 */
export function constant_(t: Tensor, value: number): Tensor {
  region(t).fill(value);
  return t;
}

/**
 * Fills `t` with zeros.
 * @pytorch `torch.nn.init.zeros_`
 */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/**
 * Fills `t` with ones.
 * @pytorch `torch.nn.init.ones_`
 */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * `kaimingUniform_`'s keyword arguments: `a`, `mode`, `nonlinearity`, `generator`.
 * @pytorch `torch.nn.init.kaiming_uniform_`
 */
export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: 'relu' | 'leaky_relu';
  generator?: Generator;
}

/**
 * Fills `t` from U(-b, b) with b = gain * sqrt(3 / fan), PyTorch's default for layer weights.
 * @pytorch `torch.nn.init.kaiming_uniform_`
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu', generator } = opts;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut);
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound, generator);
}

/**
 * Fills `t` from U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).
 * @pytorch `torch.nn.init.xavier_uniform_`
 */
export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, generator);
}

/** PyTorch's default for Linear and Conv: kaiming-uniform weight (a = sqrt(5)), bias uniform in +-1/sqrt(fan_in). */
export function resetLinearLike(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

/**
 * Fills `t` from N(0, std) with std = gain * sqrt(2 / (fan_in + fan_out)).
 * @pytorch `torch.nn.init.xavier_normal_`
 */
export function xavierNormal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/**
 * Fills `t` from N(0, std) with std = gain / sqrt(fan).
 * @pytorch `torch.nn.init.kaiming_normal_`
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu', generator } = opts;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut), generator);
}

/**
 * Fills `t` from N(mean, std) truncated to [a, b], by PyTorch's inverse-CDF method (a uniform
 * draw per entry, in float32 steps as PyTorch's tensor ops take them).
 * @pytorch `torch.nn.init.trunc_normal_`
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, generator?: Generator): Tensor {
  const cdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  const [l, u] = [cdf((a - mean) / std), cdf((b - mean) / std)];
  const r = region(t);
  uniformFill(r, 2 * l - 1, 2 * u - 1, generator);
  const round = r instanceof Float32Array ? Math.fround : (v: number) => v;
  const scale = round(std * Math.SQRT2);
  for (let i = 0; i < r.length; i++) {
    const v = round(round(round(erfinv(r[i])) * scale) + round(mean));
    r[i] = Math.min(b, Math.max(a, v));
  }
  return t;
}

/**
 * Fills `t` (2 or more dims, viewed as [rows, rest]) with a (semi-)orthogonal matrix: the Q of a
 * normal matrix's QR decomposition with R's diagonal made positive, times `gain`.
 * @pytorch `torch.nn.init.orthogonal_`
 */
export function orthogonal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  if (t.ndim < 2) throw new RangeError('Only tensors with 2 or more dimensions are supported');
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  const drawn = new Float32Array(rows * cols);
  normalFill(drawn, 0, 1, generator);
  // The tall orientation [m, n] (m >= n): transposed when there are fewer rows than columns.
  const tall = rows >= cols;
  const [m, n] = tall ? [rows, cols] : [cols, rows];
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[tall ? i * n + j : j * n + i] = drawn[i * cols + j];
  // Modified Gram-Schmidt: column k of Q is column k of A with the earlier columns taken out,
  // normalised; R's diagonal (the norms) comes out positive, as the sign correction makes it.
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < k; p++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += a[i * n + p] * a[i * n + k];
      for (let i = 0; i < m; i++) a[i * n + k] -= dot * a[i * n + p];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) a[i * n + k] /= norm;
  }
  const r = region(t);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) r[i * cols + j] = gain * a[tall ? i * n + j : j * n + i];
  return t;
}

/**
 * Fills `t` (2-d) with the identity, zeros off the diagonal.
 * @pytorch `torch.nn.init.eye_`
 */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  const r = region(t);
  r.fill(0);
  for (let i = 0; i < Math.min(t.shape[0], t.shape[1]); i++) r[i * t.shape[1] + i] = 1;
  return t;
}
