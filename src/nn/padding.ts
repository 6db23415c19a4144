// Padding and patch extraction as index maps over the input (with one extra entry holding the
// fill value): one backend gather forward, one scatter-add backward, traceable in a compiled step.
import { reportedCall } from '../autograd/call_trace.js';
import { cat, takeFlat } from '../autograd/ops/indexing.js';
import { reshape } from '../autograd/ops/shape.js';
import { full } from '../tensor/creation.js';
import { contiguousStrides, formatShape, numelOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { pair, type Pair } from './convolution.js';
import { Module } from './module.js';
import { py } from './python_repr.js';

/** The padding modes of F.pad. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * `F.pad`'s keyword arguments: `mode` ('constant'), `value` (0, constant mode only).
 * @pytorch `torch.nn.functional.pad`
 */
export interface PadOptions {
  mode?: PadMode;
  value?: number;
}

/** Where output coordinate i of a dim of `size` padded by `before` reads, or -1 for the fill value. */
function source(i: number, size: number, before: number, mode: PadMode): number {
  const j = i - before;
  if (j >= 0 && j < size) return j;
  switch (mode) {
    case 'constant':
      return -1;
    case 'replicate':
      return j < 0 ? 0 : size - 1;
    case 'circular':
      return ((j % size) + size) % size;
    case 'reflect':
      return j < 0 ? -j : 2 * (size - 1) - j;
  }
}

/**
 * Pads the last dims: `pad` is (left, right) of the last dim, then (top, bottom) of the one
 * before, and so on, as PyTorch lists it; negative amounts crop. Modes constant, reflect,
 * replicate and circular.
 * @pytorch `torch.nn.functional.pad`
 */
export function pad(x: Tensor, padding: readonly number[], opts: PadOptions = {}): Tensor {
  return reportedCall('pad', [x, padding, opts], () => {
    checkOptions('pad', opts, ['mode', 'value']);
    const mode = opts.mode ?? 'constant';
    if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode))
      throw new RangeError(`pad: mode must be constant, reflect, replicate or circular, got '${mode}'`);
    if (padding.length % 2 !== 0) throw new RangeError('Padding length must be divisible by 2');
    const k = padding.length / 2;
    if (k > x.ndim) throw new RangeError('Padding length too large');
    if (mode !== 'constant' && opts.value !== undefined && opts.value !== 0)
      throw new RangeError(`Padding mode "${mode}" doesn't take in value argument`);
    const before = new Array<number>(x.ndim).fill(0);
    const after = new Array<number>(x.ndim).fill(0);
    for (let i = 0; i < k; i++) {
      before[x.ndim - 1 - i] = padding[2 * i];
      after[x.ndim - 1 - i] = padding[2 * i + 1];
    }
    const shape = x.shape.map((s, d) => s + before[d] + after[d]);
    if (shape.some((s) => s < 0))
      throw new RangeError(`pad: the padded size of ${formatShape(x.shape)} would be negative`);
    x.shape.forEach((s, d) => {
      if (mode === 'reflect' && (before[d] >= s || after[d] >= s) && (before[d] || after[d]))
        throw new RangeError(
          `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before[d]}, ${after[d]}) at dimension ${d} of input ${formatShape(x.shape)}`,
        );
      if (mode === 'circular' && (before[d] > s || after[d] > s))
        throw new RangeError('Padding value causes wrapping around more than once.');
    });
    const n = x.numel();
    const strides = contiguousStrides(x.shape);
    const total = numelOf(shape);
    const map = new Float64Array(total);
    const c = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < total; i++) {
      let at = 0;
      for (let d = 0; d < shape.length && at >= 0; d++) {
        const s = source(c[d], x.shape[d], before[d], mode);
        at = s < 0 ? -1 : at + s * strides[d];
      }
      map[i] = at < 0 ? n : at;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++c[d] < shape[d]) break;
        c[d] = 0;
      }
    }
    const extended = cat([reshape(x, [-1]), full([1], opts.value ?? 0, { dtype: x.dtype })]);
    return takeFlat(extended, map, shape, mode === 'constant' ? 'ConstantPadNdBackward0' : 'PadBackward0');
  });
}

/**
 * Zero padding of the last two dims: (left, right, top, bottom), or one size for all four.
 * @pytorch `torch.nn.ZeroPad2d`
 */
export class ZeroPad2d extends Module {
  readonly padding: [number, number, number, number];

  constructor(padding: number | readonly [number, number, number, number]) {
    super();
    this.padding = typeof padding === 'number' ? [padding, padding, padding, padding] : [...padding];
  }

  /** pad(x, padding). */
  forward(x: Tensor): Tensor {
    return pad(x, this.padding);
  }

  override extraRepr(): string {
    return py(this.padding);
  }
}

/**
 * `F.unfold`'s keyword arguments: `dilation` (1), `padding` (0), `stride` (1).
 * @pytorch `torch.nn.functional.unfold`
 */
export interface UnfoldOptions {
  dilation?: Pair;
  padding?: Pair;
  stride?: Pair;
}

/**
 * Sliding patches of [N, C, H, W] input as columns: [N, C·kh·kw, L] (im2col).
 * @pytorch `torch.nn.functional.unfold`
 */
export function unfold(x: Tensor, kernelSize: Pair, opts: UnfoldOptions = {}): Tensor {
  checkOptions('unfold', opts, ['dilation', 'padding', 'stride']);
  if (x.ndim !== 4 && x.ndim !== 3)
    throw new RangeError(`Input Error: Only 3D or 4D input Tensors are supported (got ${x.ndim}D)`);
  if (x.ndim === 3) {
    const y = unfold(reshape(x, [1, ...x.shape]), kernelSize, opts);
    return reshape(y, y.shape.slice(1));
  }
  const [kh, kw] = pair(kernelSize, 'kernel_size');
  const [dh, dw] = pair(opts.dilation ?? 1, 'dilation');
  const [ph, pw] = pair(opts.padding ?? 0, 'padding');
  const [sh, sw] = pair(opts.stride ?? 1, 'stride');
  if (!kh || !kw || !dh || !dw || !sh || !sw)
    throw new RangeError('unfold: kernel size, dilation and stride must be positive');
  const padded = pad(x, [pw, pw, ph, ph]);
  const [n, c, h, w] = padded.shape;
  const oh = Math.floor((h - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w - dw * (kw - 1) - 1) / sw) + 1;
  if (oh <= 0 || ow <= 0)
    throw new RangeError(
      `Given input with spatial size (${x.shape[2]}, ${x.shape[3]}), kernel_size=(${kh}, ${kw}), dilation=(${dh}, ${dw}), padding=(${ph}, ${pw}), calculated shape of the array of sliding blocks as (${oh}, ${ow}), which is too small (non-positive)`,
    );
  const rows = c * kh * kw;
  const map = new Float64Array(n * rows * oh * ow);
  let k = 0;
  for (let s = 0; s < n; s++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          for (let y = 0; y < oh; y++)
            for (let z = 0; z < ow; z++) map[k++] = ((s * c + ch) * h + y * sh + i * dh) * w + z * sw + j * dw;
  return takeFlat(padded, map, [n, rows, oh * ow], 'Im2ColBackward0');
}
