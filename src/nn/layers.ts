import { flatten, reshape } from '../autograd/ops/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import * as F from './functional.js';
import { resetLinearLike } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py } from './python_repr.js';

function pairOf(v: F.Pair): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * The keyword arguments of `nn.Linear`: `bias` (true by default).
 * @pytorch `torch.nn.Linear`
 */
export interface LinearOptions {
  bias?: boolean;
}

/**
 * y = x W^T + b over the last dim, with PyTorch's default initialisation.
 * @pytorch `torch.nn.Linear`
 */
/** Refuses layer sizes that are not non-negative integers, naming them as PyTorch does. */
function checkSize(layer: string, sizes: Record<string, number>): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new TypeError(`${layer}: ${name} must be an integer, got ${String(v)}`);
    if (v < 0) throw new RangeError(`${layer}: Trying to create tensor with negative dimension ${v}: ${name}`);
  }
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: LinearOptions = {},
  ) {
    super();
    checkOptions('nn.Linear', opts, ['bias']);
    checkSize('nn.Linear', { in_features: inFeatures, out_features: outFeatures });
    this.weight = new Parameter(Tensor.empty([outFeatures, inFeatures]));
    this.bias = opts.bias === false ? null : new Parameter(Tensor.empty([outFeatures]));
    resetLinearLike(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return F.linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}

/**
 * The keyword arguments of `nn.Conv2d`: `stride`, `padding`, `dilation`, `groups`, `bias`.
 * @pytorch `torch.nn.Conv2d`
 */
export interface Conv2dOptions {
  stride?: F.Pair;
  padding?: F.Pair | 'same' | 'valid';
  dilation?: F.Pair;
  groups?: number;
  bias?: boolean;
}

/**
 * A 2-d convolution layer over [N, C, H, W] input, with PyTorch's default initialisation.
 * @pytorch `torch.nn.Conv2d`
 */
export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: F.Pair,
    opts: Conv2dOptions = {},
  ) {
    super();
    checkOptions('nn.Conv2d', opts, ['stride', 'padding', 'dilation', 'groups', 'bias'], { paddingMode: 'zeros' });
    checkSize('nn.Conv2d', { in_channels: inChannels, out_channels: outChannels });
    this.kernelSize = pairOf(kernelSize);
    if (this.kernelSize.some((k) => k < 1))
      throw new RangeError(`nn.Conv2d: kernel_size must be positive, got ${String(kernelSize)}`);
    if (pairOf(opts.stride ?? 1).some((v) => v < 1))
      throw new RangeError('nn.Conv2d: stride should be greater than zero');
    this.stride = pairOf(opts.stride ?? 1);
    this.dilation = pairOf(opts.dilation ?? 1);
    this.groups = opts.groups ?? 1;
    if (!(Number.isInteger(this.groups) && this.groups > 0)) throw new RangeError('groups must be a positive integer');
    if (inChannels % this.groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const padding = opts.padding ?? 0;
    this.padding = typeof padding === 'string' ? padding : pairOf(padding);
    if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') {
      throw new RangeError(`Invalid padding string '${padding}', should be one of 'valid', 'same'`);
    }
    if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new RangeError("padding='same' is not supported for strided convolutions");
    }
    this.weight = new Parameter(Tensor.empty([outChannels, inChannels / this.groups, ...this.kernelSize]));
    this.bias = opts.bias === false ? null : new Parameter(Tensor.empty([outChannels]));
    resetLinearLike(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return F.conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${py(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${py(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/**
 * The keyword arguments of `nn.MaxPool2d`: `stride` and `padding`.
 * @pytorch `torch.nn.MaxPool2d`
 */
export interface MaxPool2dOptions {
  stride?: F.Pair;
  padding?: F.Pair;
  ceilMode?: boolean;
}

/**
 * Max pooling over [N, C, H, W] input.
 * @pytorch `torch.nn.MaxPool2d`
 */
export class MaxPool2d extends Module {
  readonly stride: F.Pair;
  readonly padding: F.Pair;
  readonly ceilMode: boolean;

  constructor(
    readonly kernelSize: F.Pair,
    opts: MaxPool2dOptions | F.Pair = {},
  ) {
    super();
    const o: MaxPool2dOptions =
      typeof opts === 'number' || Array.isArray(opts) ? { stride: opts as F.Pair } : (opts as MaxPool2dOptions);
    checkOptions('nn.MaxPool2d', o, ['stride', 'padding', 'ceilMode'], { dilation: 1, returnIndices: false });
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return F.maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=1, ceil_mode=${py(this.ceilMode)}`;
  }
}

/**
 * max(x, 0), elementwise.
 * @pytorch `torch.nn.ReLU`
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

abstract class DropoutBase extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

/**
 * Zeroes elements with probability `p` in training mode, scaling the rest (identity in eval mode).
 * @pytorch `torch.nn.Dropout`
 */
export class Dropout extends DropoutBase {
  forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training);
  }
}

/**
 * Zeroes whole channels with probability `p` in training mode, scaling the rest.
 * @pytorch `torch.nn.Dropout2d`
 */
export class Dropout2d extends DropoutBase {
  forward(x: Tensor): Tensor {
    return F.dropout2d(x, this.p, this.training);
  }
}

/**
 * Zeroes whole channels of [N, C, L] input with probability `p` in training mode, scaling the rest.
 * @pytorch `torch.nn.Dropout1d`
 */
export class Dropout1d extends DropoutBase {
  forward(x: Tensor): Tensor {
    return F.dropout1d(x, this.p, this.training);
  }
}

/**
 * Splits dim `dim` into `sizes` (one may be -1).
 * @pytorch `torch.nn.Unflatten`
 */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly sizes: readonly number[],
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + x.ndim : this.dim;
    if (d < 0 || d >= x.ndim)
      throw new RangeError(`Unflatten: dim ${this.dim} is out of range for a ${x.ndim}-d input`);
    const known = this.sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    if (this.sizes.includes(-1) ? x.shape[d] % known !== 0 : known !== x.shape[d])
      throw new RangeError(
        `unflatten: Provided sizes [${this.sizes.join(', ')}] don't multiply up to the size of dim ${this.dim} (${x.shape[d]}) in the input tensor`,
      );
    return reshape(x, [...x.shape.slice(0, d), ...this.sizes, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.sizes.join(', ')}${this.sizes.length === 1 ? ',' : ''})`;
  }
}

/**
 * Merges dims `startDim` (1) to `endDim` (-1) into one.
 * @pytorch `torch.nn.Flatten`
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Returns its input.
 * @pytorch `torch.nn.Identity`
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Runs its modules in order; they print as (0), (1), ... like PyTorch's.
 * @pytorch `torch.nn.Sequential`
 */
export class Sequential extends Module {
  [index: number]: Module;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
      this[i] = m;
    });
  }

  get length(): number {
    return [...this.children()].length;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.children()) y = m.forward(y);
    return y;
  }
}
