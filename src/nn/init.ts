/**
 * Parameter initialisation in place, drawing as PyTorch draws.
 * @pytorch `torch.nn.init`
 * @module
 */
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
