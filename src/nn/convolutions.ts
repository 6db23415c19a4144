// The convolutions beside conv2d: conv1d as a conv2d of height 1, and the transposed convolution,
// whose forward is conv2d's input gradient and whose backward is conv2d forward and weight
// gradient, so both run on the same kernels.
import { reportedCall } from '../autograd/call_trace.js';
import { record } from '../autograd/record.js';
import { reduceKernel } from '../autograd/ops/kernels.js';
import { contiguous, permute, reshape, squeeze, unsqueeze } from '../autograd/ops/shape.js';
import { backend, type Conv2dGeometry, type FloatArray } from '../backend/index.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { conv2d, pair, type Pair } from './convolution.js';
import { resetLinearLike } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { py } from './python_repr.js';
import { floats, requireFloat } from './tensor_args.js';

/**
 * `F.conv1d`'s keyword arguments: `stride` (1), `padding` (0, or 'same' / 'valid').
 * @pytorch `torch.nn.functional.conv1d`
 */
export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
}

/**
 * 1-d convolution over [N, C, L] (or [C, L]) input with [OC, C, K] weights.
 * @pytorch `torch.nn.functional.conv1d`
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  return reportedCall('conv1d', [x, weight, bias, opts], () => {
    checkOptions('conv1d', opts, ['stride', 'padding', 'dilation', 'groups']);
    requireFloat(x, 'conv1d');
    if (x.ndim === 2) return squeeze(conv1d(unsqueeze(x, 0), weight, bias, opts), 0);
    if (x.ndim !== 3)
      throw new RangeError(`conv1d expects a 3-d [N, C, L] input (or 2-d [C, L]), got shape ${formatShape(x.shape)}`);
    if (weight.ndim !== 3)
      throw new RangeError(`conv1d expects a 3-d [OC, C, K] weight, got shape ${formatShape(weight.shape)}`);
    const padding = opts.padding ?? 0;
    const y = conv2d(unsqueeze(x, 2), unsqueeze(weight, 2), bias, {
      stride: [1, opts.stride ?? 1],
      padding: typeof padding === 'string' ? padding : [0, padding],
      dilation: [1, opts.dilation ?? 1],
      groups: opts.groups ?? 1,
    });
    return squeeze(y, 2);
  });
}

/**
 * `F.convTranspose2d`'s keyword arguments: `stride` (1), `padding` (0), `outputPadding` (0).
 * @pytorch `torch.nn.functional.conv_transpose2d`
 */
export interface ConvTranspose2dOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
}

/**
 * The transposed 2-d convolution (the gradient of conv2d with respect to its input) over
 * [N, C_in, H, W] input with [C_in, C_out, KH, KW] weights: output (H - 1) s - 2p + k + outputPadding.
 * @pytorch `torch.nn.functional.conv_transpose2d`
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  opts: ConvTranspose2dOptions = {},
): Tensor {
  return reportedCall('convTranspose2d', [x, weight, bias, opts], () => {
    checkOptions('convTranspose2d', opts, ['stride', 'padding', 'outputPadding'], { dilation: 1, groups: 1 });
    requireFloat(x, 'convTranspose2d');
    if (x.ndim === 3) return squeeze(convTranspose2d(unsqueeze(x, 0), weight, bias, opts), 0);
    if (x.ndim !== 4)
      throw new RangeError(
        `convTranspose2d expects a 4-d [N, C, H, W] input (or 3-d), got shape ${formatShape(x.shape)}`,
      );
    const [n, cin, h, w] = x.shape;
    const [wIn, cout, kh, kw] = weight.shape;
    if (weight.ndim !== 4 || wIn !== cin)
      throw new RangeError(
        `convTranspose2d: weight of shape ${formatShape(weight.shape)} expects ${wIn} input channels, but the input ${formatShape(x.shape)} has ${cin}`,
      );
    const [sh, sw] = pair(opts.stride ?? 1, 'stride');
    const [ph, pw] = pair(opts.padding ?? 0, 'padding');
    const [oph, opw] = pair(opts.outputPadding ?? 0, 'output_padding');
    if (sh === 0 || sw === 0) throw new RangeError('stride must be positive');
    if (oph >= sh || opw >= sw) throw new RangeError('output padding must be smaller than either stride or dilation');
    const oh = (h - 1) * sh - 2 * ph + kh + oph;
    const ow = (w - 1) * sw - 2 * pw + kw + opw;
    if (oh <= 0 || ow <= 0) throw new RangeError(`convTranspose2d: the output would be ${oh}x${ow}`);
    // As a convolution of the output (c = cout, oc = cin) whose result is the input.
    const g: Conv2dGeometry = { n, c: cout, h: oh, w: ow, oc: cin, kh, kw, sh, sw, ph, pw, oh: h, ow: w };
    const out = Tensor.empty([n, cout, oh, ow], x.dtype);
    const xv = floats(x);
    const wv = floats(weight);
    backend().conv2dBackwardInput(xv, wv, out.data as FloatArray, g);
    if (bias) {
      const shape = [n, cout, oh * ow];
      backend().binary('add', out.data, shape, floats(bias), [cout, 1], out.data, shape);
    }
    const inputs = bias ? [x, weight, bias] : [x, weight];
    return record('ConvolutionBackward0', out, inputs, (gy) => {
      const dy = floats(gy);
      let dx: Tensor | null = null;
      if (x.requiresGrad) {
        dx = Tensor.empty(x.shape, x.dtype);
        backend().conv2dForward(dy, wv, null, dx.data as FloatArray, g);
      }
      const dw = Tensor.empty(weight.shape, weight.dtype);
      backend().conv2dBackwardWeight(dy, xv, dw.data as FloatArray, null, g);
      const db = bias
        ? reduceKernel('sum', reshape(contiguous(permute(gy, [1, 0, 2, 3])), [cout, -1]), 1, false)
        : null;
      return [dx, dw, db];
    });
  });
}

/**
 * The keyword arguments of `nn.Conv1d`: `stride`, `padding`, `bias`.
 * @pytorch `torch.nn.Conv1d`
 */
export interface Conv1dLayerOptions extends Conv1dOptions {
  bias?: boolean;
}

/**
 * A 1-d convolution layer over [N, C, L] input, with PyTorch's default initialisation.
 * @pytorch `torch.nn.Conv1d`
 */
export class Conv1d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    opts: Conv1dLayerOptions = {},
  ) {
    super();
    checkOptions('nn.Conv1d', opts, ['stride', 'padding', 'dilation', 'groups', 'bias'], { paddingMode: 'zeros' });
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.groups = opts.groups ?? 1;
    if (inChannels % this.groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    this.weight = new Parameter(Tensor.empty([outChannels, inChannels / this.groups, kernelSize]));
    this.bias = opts.bias === false ? null : new Parameter(Tensor.empty([outChannels]));
    resetLinearLike(this.weight, this.bias);
  }

  /** conv1d(x, weight, bias, { stride, padding }). */
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this;
    return conv1d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize},), stride=(${this.stride},)`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding !== 0) s += `, padding=(${this.padding},)`;
    if (this.dilation !== 1) s += `, dilation=(${this.dilation},)`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/**
 * The keyword arguments of `nn.ConvTranspose2d`: `stride`, `padding`, `outputPadding`, `bias`.
 * @pytorch `torch.nn.ConvTranspose2d`
 */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions {
  bias?: boolean;
}

/**
 * A transposed 2-d convolution layer (weights [C_in, C_out, KH, KW]), with PyTorch's default initialisation.
 * @pytorch `torch.nn.ConvTranspose2d`
 */
export class ConvTranspose2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    readonly options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    checkOptions('nn.ConvTranspose2d', options, ['stride', 'padding', 'outputPadding', 'bias'], {
      dilation: 1,
      groups: 1,
      paddingMode: 'zeros',
    });
    this.kernelSize = pair(kernelSize, 'kernel_size');
    this.weight = new Parameter(Tensor.empty([inChannels, outChannels, ...this.kernelSize]));
    this.bias = options.bias === false ? null : new Parameter(Tensor.empty([outChannels]));
    resetLinearLike(this.weight, this.bias);
  }

  /** convTranspose2d(x, weight, bias, options). */
  forward(x: Tensor): Tensor {
    const { bias: _bias, ...opts } = this.options;
    return convTranspose2d(x, this.weight, this.bias, opts);
  }

  override extraRepr(): string {
    const o = this.options;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${py(this.kernelSize)}, stride=${py(pair(o.stride ?? 1, 'stride'))}`;
    const p = pair(o.padding ?? 0, 'padding');
    if (p[0] || p[1]) s += `, padding=${py(p)}`;
    const op = pair(o.outputPadding ?? 0, 'output_padding');
    if (op[0] || op[1]) s += `, output_padding=${py(op)}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}
