import { reportedCall } from '../autograd/call_trace.js';
import { record } from '../autograd/record.js';
import { cat, takeFlat } from '../autograd/ops/indexing.js';
import { narrow, reshape } from '../autograd/ops/shape.js';
import { zeros } from '../tensor/creation.js';
import { backend, type Conv2dGeometry, type FloatArray } from '../backend/index.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { floats, requireFloat } from './tensor_args.js';

/** A size for both spatial dims, or one for each (PyTorch's `int or tuple`). */
export type Pair = number | readonly [number, number];

export function pair(v: Pair, name: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= 0))
    throw new RangeError(`${name} must be a non-negative integer or a pair of them, got ${String(v)}`);
  return p;
}

/** Runs a batched op on one [C, H, W] sample. */
export function unbatched(x: Tensor, op: (batch: Tensor) => Tensor): Tensor {
  const y = op(reshape(x, [1, ...x.shape]));
  return reshape(y, y.shape.slice(1));
}

/**
 * The keyword arguments of `F.conv2d`: `stride`, `padding` (numbers, pairs, `'same'` or `'valid'`).
 * @pytorch `torch.nn.functional.conv2d`
 */
export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (1). */
  dilation?: Pair;
  /** Channel groups (1): each output channel sees C / groups input channels. */
  groups?: number;
}

function convGeometry(x: Tensor, weight: Tensor, opts: Conv2dOptions): Conv2dGeometry {
  const [n, c, h, w] = x.shape;
  const [oc, wc, kh, kw] = weight.shape;
  if (x.ndim !== 4)
    throw new RangeError(
      `conv2d expects a 4-d [N, C, H, W] input (or 3-d [C, H, W]), got shape ${formatShape(x.shape)}`,
    );
  if (wc !== c) {
    throw new RangeError(
      `conv2d: weight of shape ${formatShape(weight.shape)} expects ${wc} input channels, but the input ${formatShape(x.shape)} has ${c}`,
    );
  }
  const [sh, sw] = pair(opts.stride ?? 1, 'stride');
  if (sh === 0 || sw === 0) throw new RangeError('stride must be positive');
  let ph: number, pw: number;
  const padding = opts.padding ?? 0;
  if (padding === 'valid') [ph, pw] = [0, 0];
  else if (padding === 'same') {
    if (sh !== 1 || sw !== 1) throw new RangeError("padding='same' is not supported for strided convolutions");
    if (kh % 2 === 0 || kw % 2 === 0)
      throw new RangeError("padding='same' needs an odd kernel size here; pad explicitly for even kernels");
    [ph, pw] = [(kh - 1) / 2, (kw - 1) / 2];
  } else [ph, pw] = pair(padding, 'padding');
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(
      `conv2d: input ${h}x${w} (padded ${h + 2 * ph}x${w + 2 * pw}) is smaller than the kernel ${kh}x${kw}`,
    );
  }
  return { n, c, h, w, oc, kh, kw, sh, sw, ph, pw, oh, ow };
}

/**
 * The kernel with (d - 1) zeros between taps: a convolution with it is the dilated convolution
 * (more multiply-adds, but on the same kernels, and its gradient flows back to the taps).
 */
function dilated(weight: Tensor, dh: number, dw: number): Tensor {
  const [oc, c, kh, kw] = weight.shape;
  const [eh, ew] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1];
  const zero = weight.numel();
  const map = new Float64Array(oc * c * eh * ew).fill(zero);
  for (let p = 0; p < oc * c; p++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) map[(p * eh + i * dh) * ew + j * dw] = (p * kh + i) * kw + j;
  const padded = cat([reshape(weight, [-1]), zeros([1], { dtype: weight.dtype })]);
  return takeFlat(padded, map, [oc, c, eh, ew], 'ConvolutionBackward0');
}

/** A grouped convolution as one convolution per group of channels, joined along the channels. */
function grouped(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions, groups: number): Tensor {
  const c = x.shape[1];
  const oc = weight.shape[0];
  if (c % groups !== 0 || weight.shape[1] * groups !== c)
    throw new RangeError(
      `Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${weight.shape[1] * groups} channels, but got ${c} channels instead`,
    );
  if (oc % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
  const [ci, co] = [c / groups, oc / groups];
  const one = { ...opts, groups: 1 };
  const outs = Array.from({ length: groups }, (_, i) =>
    conv2d(narrow(x, 1, i * ci, ci), narrow(weight, 0, i * co, co), bias && narrow(bias, 0, i * co, co), one),
  );
  return cat(outs, 1);
}

/**
 * 2-d convolution over [N, C, H, W] input with [OC, C / groups, KH, KW] weights.
 * @pytorch `torch.nn.functional.conv2d`
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  return reportedCall('conv2d', [x, weight, bias, opts], () => {
    checkOptions('conv2d', opts, ['stride', 'padding', 'dilation', 'groups']);
    requireFloat(x, 'conv2d');
    if (x.ndim === 3) return unbatched(x, (b) => conv2d(b, weight, bias, opts));
    const groups = opts.groups ?? 1;
    const [dh, dw] = pair(opts.dilation ?? 1, 'dilation');
    if (!(Number.isInteger(groups) && groups > 0))
      throw new RangeError(`non-positive groups is not supported, got ${groups}`);
    if (dh === 0 || dw === 0) throw new RangeError('dilation should be greater than zero');
    if (dh > 1 || dw > 1) return conv2d(x, dilated(weight, dh, dw), bias, { ...opts, dilation: 1 });
    if (groups > 1) return grouped(x, weight, bias, opts, groups);
    const g = convGeometry(x, weight, opts);
    const out = Tensor.empty([g.n, g.oc, g.oh, g.ow], x.dtype);
    const xv = floats(x);
    const wv = floats(weight);
    backend().conv2dForward(xv, wv, bias ? floats(bias) : null, out.data as FloatArray, g);
    const inputs = bias ? [x, weight, bias] : [x, weight];
    return record('ConvolutionBackward0', out, inputs, (gy) => {
      const dy = floats(gy);
      let dx: Tensor | null = null;
      if (x.requiresGrad) {
        dx = Tensor.empty(x.shape, x.dtype);
        backend().conv2dBackwardInput(dy, wv, dx.data as FloatArray, g);
      }
      const dw = Tensor.empty(weight.shape, weight.dtype);
      const db = bias ? Tensor.empty(bias.shape, bias.dtype) : null;
      backend().conv2dBackwardWeight(xv, dy, dw.data as FloatArray, db ? (db.data as FloatArray) : null, g);
      return [dx, dw, db];
    });
  });
}
