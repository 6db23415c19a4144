/**
 * Functional forms of the layers, activations and losses.
 * @pytorch `torch.nn.functional`
 * @module
 */
import { reportedCall } from '../autograd/call_trace.js';
import { add } from '../autograd/ops/elementwise.js';
import { relu as reluOp } from '../autograd/ops/elementwise.js';
import { mmFlags } from '../autograd/ops/linalg.js';
import { reshape } from '../autograd/ops/shape.js';
import { record } from '../autograd/record.js';
import { backend, type Conv2dGeometry, type FloatArray } from '../backend/index.js';
import { bernoulliScaleFill } from '../tensor/creation.js';
import { allocateInt32 } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { floats, requireFloat } from './tensor_args.js';
import { pair, unbatched, type Pair } from './convolution.js';

export { logSoftmax, softmax } from './softmax.js';
export { conv2d, type Conv2dOptions, type Pair } from './convolution.js';
export { adaptiveAvgPool2d, avgPool2d, type AvgPool2dOptions } from './avg_pool.js';
export { batchNorm, type BatchNormFunctionalOptions } from './batchnorm.js';
export { adaptiveMaxPool2d } from './avg_pool.js';
export { layerNorm, groupNorm, normalize, type NormalizeOptions } from './normalization.js';
export { conv1d, convTranspose2d, type Conv1dOptions, type ConvTranspose2dOptions } from './convolutions.js';
export { embedding, oneHot } from './embedding.js';
export { pad, unfold, type PadOptions, type PadMode, type UnfoldOptions } from './padding.js';
export { interpolate, type InterpolateOptions, type InterpolateMode } from './interpolate.js';
export {
  elu,
  hardsigmoid,
  hardswish,
  hardtanh,
  leakyRelu,
  relu6,
  sigmoid,
  silu,
  softplus,
  tanh,
  gelu,
  prelu,
} from './activations.js';
export { crossEntropy, nllLoss, type LossOptions, type Reduction } from './losses.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  huberLoss,
  klDiv,
  l1Loss,
  mseLoss,
  smoothL1Loss,
  type BCEOptions,
  type BCEWithLogitsOptions,
  type ElementwiseLossOptions,
  type HuberOptions,
  type KLDivOptions,
  type SmoothL1Options,
} from './regression_losses.js';

/**
 * max(x, 0), elementwise.
 * @pytorch `torch.nn.functional.relu`
 */
export function relu(x: Tensor): Tensor {
  return reluOp(x);
}

/**
 * y = x W^T + b over the last dim of x. For a 2-d input with a bias it is one graph node,
 * AddmmBackward0 as in PyTorch: one matmul kernel and one broadcast add forward, three kernels back.
 * @pytorch `torch.nn.functional.linear`
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return reportedCall('linear', [x, weight, bias], () => {
    requireFloat(x, 'linear');
    const [outF, inF] = weight.shape;
    if (x.shape[x.ndim - 1] !== inF) {
      throw new RangeError(
        `linear: input of shape ${formatShape(x.shape)} does not match weight ${formatShape(weight.shape)}: the last dim must be ${inF}`,
      );
    }
    if (x.ndim === 2 && bias && x.dtype === weight.dtype && bias.dtype === weight.dtype) return addmm(x, weight, bias);
    const rows = x.numel() / inF;
    const y = mmFlags(reshape(x, [1, rows, inF]), reshape(weight, [1, outF, inF]), false, true);
    const out = bias ? add(y, bias) : y;
    return reshape(out, [...x.shape.slice(0, -1), outF]);
  });
}

function addmm(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const [rows, inF] = x.shape;
  const outF = weight.shape[0];
  const xv = floats(x);
  const wv = floats(weight);
  const out = Tensor.empty([rows, outF], x.dtype);
  const o = out.data as FloatArray;
  backend().matmul(xv, wv, o, rows, outF, inF, false, true, false);
  backend().binary('add', o, out.shape, floats(bias), bias.shape, o, out.shape);
  return record('AddmmBackward0', out, [x, weight, bias], (g) => {
    const gv = floats(g);
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      dx = Tensor.empty(x.shape, g.dtype);
      backend().matmul(gv, wv, dx.data as FloatArray, rows, inF, outF, false, false, false);
    }
    const dw = Tensor.empty(weight.shape, g.dtype);
    backend().matmul(gv, xv, dw.data as FloatArray, outF, inF, rows, true, false, false);
    const db = Tensor.empty(bias.shape, g.dtype);
    backend().reduce('sum', gv, 1, rows, outF, db.data);
    return [dx, dw, db];
  });
}

/**
 * The keyword arguments of `F.maxPool2d`: `stride` (the kernel size by default), `padding` and
 * `ceilMode` (false: windows that start inside the input but run past it count with ceil mode).
 * @pytorch `torch.nn.functional.max_pool2d`
 */
export interface MaxPool2dOptions {
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
}

/** PyTorch's pooling output size; with ceilMode the last window must start inside the input or its left padding. */
export function pooledSize(size: number, k: number, s: number, p: number, ceilMode: boolean): number {
  let out = Math[ceilMode ? 'ceil' : 'floor']((size + 2 * p - k) / s) + 1;
  if (ceilMode && (out - 1) * s >= size + p) out--;
  return out;
}

/**
 * The maximum of each window over [N, C, H, W] input.
 * @pytorch `torch.nn.functional.max_pool2d`
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: MaxPool2dOptions | Pair = {}): Tensor {
  return reportedCall('maxPool2d', [x, kernelSize, opts], () => {
    requireFloat(x, 'maxPool2d');
    const o: MaxPool2dOptions =
      typeof opts === 'number' || Array.isArray(opts) ? { stride: opts as Pair } : (opts as MaxPool2dOptions);
    checkOptions('maxPool2d', o, ['stride', 'padding', 'ceilMode'], { dilation: 1, returnIndices: false });
    if (x.ndim === 3) return unbatched(x, (b) => maxPool2d(b, kernelSize, o));
    if (x.ndim !== 4)
      throw new RangeError(`maxPool2d expects a 4-d [N, C, H, W] input, got shape ${formatShape(x.shape)}`);
    const [kh, kw] = pair(kernelSize, 'kernel_size');
    if (kh < 1 || kw < 1) throw new RangeError('max_pool2d: kernel_size must be greater than zero');
    const [sh, sw] = pair(o.stride ?? kernelSize, 'stride');
    const [ph, pw] = pair(o.padding ?? 0, 'padding');
    if (ph * 2 > kh || pw * 2 > kw) throw new RangeError('pad should be at most half of effective kernel size');
    const [n, c, h, w] = x.shape;
    const oh = pooledSize(h, kh, sh, ph, o.ceilMode ?? false);
    const ow = pooledSize(w, kw, sw, pw, o.ceilMode ?? false);
    if (oh <= 0 || ow <= 0) throw new RangeError(`maxPool2d: input ${h}x${w} is too small for kernel ${kh}x${kw}`);
    const g: Conv2dGeometry = { n, c, h, w, oc: c, kh, kw, sh, sw, ph, pw, oh, ow };
    const out = Tensor.empty([n, c, oh, ow], x.dtype);
    const argmax = allocateInt32(out.numel());
    backend().maxPool2dForward(floats(x), out.data as FloatArray, argmax, g);
    return record('MaxPool2DWithIndicesBackward0', out, [x], (gy) => {
      const dx = Tensor.empty(x.shape, gy.dtype);
      backend().maxPool2dBackward(floats(gy), argmax, dx.data as FloatArray, g);
      return [dx];
    });
  });
}

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/** Multiplies by a kept/(1-p) mask of `maskShape`, broadcast over x. */
function dropMask(x: Tensor, p: number, maskShape: readonly number[], name: string): Tensor {
  const mask = Tensor.empty(maskShape, x.dtype);
  bernoulliScaleFill(mask.data, 1 - p);
  const out = Tensor.empty(x.shape, x.dtype);
  backend().binary('mul', x.values(), x.shape, mask.data, mask.shape, out.data, out.shape);
  return record(name, out, [x], (g) => {
    const dx = Tensor.empty(x.shape, g.dtype);
    backend().binary('mul', g.values(), g.shape, mask.data, mask.shape, dx.data, dx.shape);
    return [dx];
  });
}

/**
 * Zeroes each element with probability `p` while `training`, scaling the rest by 1 / (1 - p).
 * @pytorch `torch.nn.functional.dropout`
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  return reportedCall('dropout', [x, p, training], () => {
    checkP(p);
    if (!training || p === 0) return x;
    return dropMask(x, p, x.shape, 'MulBackward0');
  });
}

/**
 * Zeroes whole channels of [N, C, L] (or [C, L]) input.
 * @pytorch `torch.nn.functional.dropout1d`
 */
export function dropout1d(x: Tensor, p = 0.5, training = true): Tensor {
  return reportedCall('dropout1d', [x, p, training], () => {
    checkP(p);
    if (x.ndim !== 2 && x.ndim !== 3)
      throw new RangeError(
        `dropout1d: Expected 2D or 3D input, but received a ${x.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
      );
    if (!training || p === 0) return x;
    const maskShape = x.shape.map((d, i) => (i < x.ndim - 1 ? d : 1));
    return dropMask(x, p, maskShape, 'MulBackward0');
  });
}

/**
 * Zeroes whole channels of [N, C, H, W] (or [C, H, W]) input.
 * @pytorch `torch.nn.functional.dropout2d`
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  return reportedCall('dropout2d', [x, p, training], () => {
    checkP(p);
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new RangeError(`dropout2d expects a 3-d or 4-d input, got shape ${formatShape(x.shape)}`);
    if (!training || p === 0) return x;
    const maskShape = x.shape.map((d, i) => (i < x.ndim - 2 ? d : 1));
    return dropMask(x, p, maskShape, 'MulBackward0');
  });
}
