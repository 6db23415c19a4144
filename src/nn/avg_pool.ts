// Average pooling as a convolution of each channel with a constant 1/k kernel (the convolution
// kernels do the work, forward and backward), and adaptive pooling as two matrix products with
// averaging matrices (so windows of unequal sizes, as PyTorch's, need no kernel of their own).
import { reportedCall } from '../autograd/call_trace.js';
import { div } from '../autograd/ops/elementwise.js';
import { takeFlat } from '../autograd/ops/indexing.js';
import { computesInJavaScript } from '../backend/javascript_ops.js';
import { matmul } from '../autograd/ops/linalg.js';
import { reshape, transpose } from '../autograd/ops/shape.js';
import { ones } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { conv2d, pair, type Pair } from './convolution.js';
import { requireFloat } from './tensor_args.js';

/**
 * `F.avgPool2d`'s keyword arguments: `stride` (the kernel size), `padding` (0), `countIncludePad`
 * (true), `divisorOverride`; `ceilMode` only false.
 * @pytorch `torch.nn.functional.avg_pool2d`
 */
export interface AvgPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** Runs a pooling over [N, C, H, W] (or [C, H, W]) input as one over N·C single-channel images. */
export function perChannel(x: Tensor, where: string, pool: (images: Tensor) => Tensor): Tensor {
  requireFloat(x, where);
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new RangeError(`${where} expects a 3-d or 4-d input, got shape ${formatShape(x.shape)}`);
  const lead = x.shape.slice(0, -2);
  const [h, w] = x.shape.slice(-2);
  const y = pool(reshape(x, [-1, 1, h, w]));
  return reshape(y, [...lead, ...y.shape.slice(-2)]);
}

/**
 * The mean of each window over [N, C, H, W] input.
 * @pytorch `torch.nn.functional.avg_pool2d`
 */
export function avgPool2d(x: Tensor, kernelSize: Pair, opts: AvgPool2dOptions = {}): Tensor {
  return reportedCall('avgPool2d', [x, kernelSize, opts], () => {
    checkOptions('avgPool2d', opts, ['stride', 'padding', 'countIncludePad', 'divisorOverride'], { ceilMode: false });
    const [kh, kw] = pair(kernelSize, 'kernel_size');
    if (kh < 1 || kw < 1) throw new RangeError('avg_pool2d: kernel_size must be greater than zero');
    const stride = pair(opts.stride ?? kernelSize, 'stride');
    const [ph, pw] = pair(opts.padding ?? 0, 'padding');
    if (ph * 2 > kh || pw * 2 > kw) throw new RangeError('pad should be at most half of kernel size');
    const divisor = opts.divisorOverride ?? null;
    if (divisor !== null && !(Number.isInteger(divisor) && divisor > 0))
      throw new RangeError(`avgPool2d: divisorOverride must be a positive integer, got ${divisor}`);
    return perChannel(x, 'avgPool2d', (images) => {
      const sumKernel = ones([1, 1, kh, kw], { dtype: x.dtype });
      const conv = { stride, padding: [ph, pw] as const };
      const sums = conv2d(images, sumKernel, null, conv);
      if (divisor !== null) return div(sums, divisor);
      if (opts.countIncludePad ?? true) return div(sums, kh * kw);
      // The number of input pixels under each window.
      const counts = conv2d(ones([1, 1, ...images.shape.slice(-2)], { dtype: x.dtype }), sumKernel, null, conv);
      return div(sums, counts);
    });
  });
}

/**
 * [out, size]: row i averages PyTorch's adaptive window [floor(i·size/out), ceil((i+1)·size/out)).
 * Written in JavaScript memory, so a traced step takes it as a constant (its entries are set
 * here, not by a kernel a replay would repeat).
 */
function averagingMatrix(out: number, size: number, dtype: Tensor['dtype']): Tensor {
  const m = dtype === 'float64' ? new Float64Array(out * size) : new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return new Tensor(m, [out, size], dtype);
}

/**
 * Average pooling to a fixed output size, with windows as PyTorch's adaptive pooling chooses them.
 * @pytorch `torch.nn.functional.adaptive_avg_pool2d`
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  return reportedCall('adaptiveAvgPool2d', [x, outputSize], () => {
    const [oh, ow] = pair(outputSize, 'output_size');
    if (!(oh > 0 && ow > 0)) throw new RangeError(`adaptiveAvgPool2d: output size must be positive, got ${oh}x${ow}`);
    return perChannel(x, 'adaptiveAvgPool2d', (images) => {
      const [h, w] = images.shape.slice(-2);
      return separableMap(images, averagingMatrix(oh, h, x.dtype), averagingMatrix(ow, w, x.dtype));
    });
  });
}

/**
 * rows @ image @ cols^T for each [P, 1, h, w] image, with [oh, h] rows and [ow, w] cols: one
 * product of the flattened images with their Kronecker product where that is small, else two.
 */
export function separableMap(images: Tensor, rows: Tensor, cols: Tensor): Tensor {
  const [h, w] = images.shape.slice(-2);
  const [oh, ow] = [rows.shape[0], cols.shape[0]];
  if (h * w * oh * ow <= MAX_PLANE_MATRIX) {
    const flat = matmul(reshape(images, [-1, h * w]), transpose(kronecker(rows, cols), 0, 1));
    return reshape(flat, [-1, 1, oh, ow]);
  }
  return matmul(matmul(rows, images), transpose(cols, 0, 1));
}

/** Above this many entries the averaging runs as two batched products instead of one over whole images. */
const MAX_PLANE_MATRIX = 1 << 18;

/** The Kronecker product [a rows · b rows, a cols · b cols] of two matrices made in JavaScript memory. */
function kronecker(a: Tensor, b: Tensor): Tensor {
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  const out = a.dtype === 'float64' ? new Float64Array(ar * br * ac * bc) : new Float32Array(ar * br * ac * bc);
  for (let i = 0; i < ar; i++)
    for (let j = 0; j < ac; j++)
      for (let k = 0; k < br; k++)
        for (let l = 0; l < bc; l++) out[(i * br + k) * ac * bc + j * bc + l] = a.data[i * ac + j] * b.data[k * bc + l];
  return new Tensor(out, [ar * br, ac * bc], a.dtype);
}

/**
 * The maximum of each of PyTorch's adaptive windows (see adaptiveAvgPool2d); the gradient goes to
 * the first maximum of each window (NaN counts as the maximum).
 * @pytorch `torch.nn.functional.adaptive_max_pool2d`
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair, returnIndices = false): Tensor {
  return reportedCall('adaptiveMaxPool2d', [x, outputSize, returnIndices], () => {
    computesInJavaScript('adaptiveMaxPool2d');
    if (returnIndices) throw new RangeError('adaptiveMaxPool2d: not supported: returnIndices');
    const [oh, ow] = pair(outputSize, 'output_size');
    if (!(oh > 0 && ow > 0)) throw new RangeError(`adaptiveMaxPool2d: output size must be positive, got ${oh}x${ow}`);
    return perChannel(x, 'adaptiveMaxPool2d', (images) => {
      const [planes, , h, w] = images.shape;
      const v = images.values();
      const map = new Float64Array(planes * oh * ow);
      for (let p = 0; p < planes; p++)
        for (let i = 0; i < oh; i++) {
          const [y0, y1] = [Math.floor((i * h) / oh), Math.ceil(((i + 1) * h) / oh)];
          for (let j = 0; j < ow; j++) {
            const [x0, x1] = [Math.floor((j * w) / ow), Math.ceil(((j + 1) * w) / ow)];
            let best = p * h * w + y0 * w + x0;
            for (let y = y0; y < y1; y++)
              for (let xx = x0; xx < x1; xx++) {
                const at = p * h * w + y * w + xx;
                if (v[at] > v[best] || (v[at] !== v[at] && v[best] === v[best])) best = at;
              }
            map[(p * oh + i) * ow + j] = best;
          }
        }
      return takeFlat(images, map, [planes, 1, oh, ow], 'AdaptiveMaxPool2DBackward0');
    });
  });
}
