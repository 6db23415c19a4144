// Layer and group normalisation and F.normalize, built from the autograd primitives (their
// gradients follow), with PyTorch's statistics: the biased variance and 1 / sqrt(var + eps).
import { reportedCall } from '../autograd/call_trace.js';
import { add, clamp, div, mul, sub } from '../autograd/ops/elementwise.js';
import { rsqrt } from '../autograd/ops/math.js';
import { mean } from '../autograd/ops/reduce.js';
import { reshape } from '../autograd/ops/shape.js';
import { norm } from '../autograd/ops/statistics.js';
import { ones, zeros } from '../tensor/creation.js';
import { formatShape, numelOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py, pyFloat } from './python_repr.js';
import { requireFloat } from './tensor_args.js';

/** Normalises each row of [rows, n]: (x - mean) / sqrt(biased var + eps). */
function normaliseRows(rows: Tensor, eps: number): Tensor {
  const m = mean(rows, -1, true);
  const centred = sub(rows, m);
  const v = mean(mul(centred, centred), -1, true);
  return mul(centred, rsqrt(add(v, eps)));
}

/**
 * Normalises over the last dims, which must equal `normalizedShape`; then weight and bias.
 * @pytorch `torch.nn.functional.layer_norm`
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  return reportedCall('layerNorm', [x, normalizedShape, weight, bias, eps], () => {
    requireFloat(x, 'layerNorm');
    const k = normalizedShape.length;
    const tail = x.shape.slice(x.ndim - k);
    if (k === 0 || x.ndim < k || tail.some((s, i) => s !== normalizedShape[i]))
      throw new RangeError(
        `Given normalized_shape=${formatShape(normalizedShape)}, expected input with shape [*, ${normalizedShape.join(', ')}], but got input of size ${formatShape(x.shape)}`,
      );
    let y = reshape(normaliseRows(reshape(x, [-1, numelOf(normalizedShape)]), eps), x.shape);
    if (weight) y = mul(y, weight);
    if (bias) y = add(y, bias);
    return y;
  });
}

/**
 * Normalises [N, C, *] input over groups of C / numGroups channels; then per-channel weight and bias.
 * @pytorch `torch.nn.functional.group_norm`
 */
export function groupNorm(
  x: Tensor,
  numGroups: number,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  return reportedCall('groupNorm', [x, numGroups, weight, bias, eps], () => {
    requireFloat(x, 'groupNorm');
    if (x.ndim < 2) throw new RangeError(`groupNorm expects input of 2 or more dims, got ${formatShape(x.shape)}`);
    const [n, c] = x.shape;
    if (c % numGroups !== 0)
      throw new RangeError(
        `Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(x.shape)} and num_groups=${numGroups}`,
      );
    let y = reshape(normaliseRows(reshape(x, [n, numGroups, -1]), eps), x.shape);
    const perChannel = x.shape.map((s, i) => (i === 1 ? s : 1));
    if (weight) y = mul(y, reshape(weight, perChannel));
    if (bias) y = add(y, reshape(bias, perChannel));
    return y;
  });
}

/**
 * `F.normalize`'s keyword arguments: `p` (2), `dim` (1), `eps` (1e-12).
 * @pytorch `torch.nn.functional.normalize`
 */
export interface NormalizeOptions {
  p?: number;
  dim?: number;
  eps?: number;
}

/**
 * x / max(||x||_p, eps) along `dim`.
 * @pytorch `torch.nn.functional.normalize`
 */
export function normalize(x: Tensor, opts: NormalizeOptions = {}): Tensor {
  checkOptions('normalize', opts, ['p', 'dim', 'eps']);
  const { p = 2, dim = 1, eps = 1e-12 } = opts;
  return div(x, clamp(norm(x, p, dim, true), eps));
}

/**
 * LayerNorm's keyword arguments: `eps` (1e-5), `elementwiseAffine` (true).
 * @pytorch `torch.nn.LayerNorm`
 */
export interface LayerNormOptions {
  eps?: number;
  elementwiseAffine?: boolean;
}

/**
 * Layer normalisation over the last dims, with a learnt weight and bias of that shape.
 * @pytorch `torch.nn.LayerNorm`
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    checkOptions('nn.LayerNorm', opts, ['eps', 'elementwiseAffine']);
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape)) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(this.normalizedShape)) : null;
  }

  /** layerNorm(x, normalizedShape, weight, bias, eps). */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')},), eps=${pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}

/**
 * GroupNorm's keyword arguments: `eps` (1e-5), `affine` (true).
 * @pytorch `torch.nn.GroupNorm`
 */
export interface GroupNormOptions {
  eps?: number;
  affine?: boolean;
}

/**
 * Group normalisation: channels in `numGroups` groups, each normalised over its channels and positions.
 * @pytorch `torch.nn.GroupNorm`
 */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    opts: GroupNormOptions = {},
  ) {
    super();
    checkOptions('nn.GroupNorm', opts, ['eps', 'affine']);
    if (numChannels % numGroups !== 0) throw new RangeError('num_channels must be divisible by num_groups');
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    this.weight = this.affine ? new Parameter(ones([numChannels])) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels])) : null;
  }

  /** groupNorm(x, numGroups, weight, bias, eps). */
  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${py(this.affine)}`;
  }
}
