// Resizing: nearest as an index map (one gather), bilinear as two interpolation matrices applied
// to every plane (matrix products), both with PyTorch's source-index arithmetic.
import { reportedCall } from '../autograd/call_trace.js';
import { takeFlat } from '../autograd/ops/indexing.js';
import { formatShape, numelOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { perChannel, separableMap } from './avg_pool.js';
import { Module } from './module.js';
import { pyFloat } from './python_repr.js';
import { requireFloat } from './tensor_args.js';

/** The modes F.interpolate runs. */
export type InterpolateMode = 'nearest' | 'bilinear';

/**
 * `F.interpolate`'s keyword arguments: `size` or `scaleFactor`, `mode` ('nearest'), `alignCorners`
 * (bilinear only).
 * @pytorch `torch.nn.functional.interpolate`
 */
export interface InterpolateOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
  mode?: InterpolateMode;
  alignCorners?: boolean;
}

/** Output sizes and the scale from output to input index of each spatial dim. */
function plan(x: Tensor, opts: InterpolateOptions, spatial: number): { sizes: number[]; scales: (number | null)[] } {
  const ins = x.shape.slice(2);
  if ((opts.size === undefined) === (opts.scaleFactor === undefined))
    throw new RangeError('only one of size or scale_factor should be defined');
  const list = <T>(v: T | readonly T[], name: string): T[] => {
    const l = Array.isArray(v) ? [...(v as T[])] : new Array<T>(spatial).fill(v as T);
    if (l.length !== spatial)
      throw new RangeError(
        `Input and ${name} must have the same number of spatial dimensions, but got input with spatial dimensions of ${formatShape(ins)} and ${name} of ${formatShape(l as number[])}`,
      );
    return l;
  };
  if (opts.size !== undefined) return { sizes: list(opts.size, 'output size'), scales: ins.map(() => null) };
  const factors = list(opts.scaleFactor!, 'scale_factor');
  return { sizes: ins.map((s, i) => Math.floor(s * factors[i])), scales: factors.map((f) => 1 / f) };
}

/** PyTorch's area_pixel_compute_scale. */
function scaleOf(inSize: number, outSize: number, given: number | null, alignCorners: boolean): number {
  if (alignCorners) return outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
  return given ?? inSize / outSize;
}

/** [out, in]: row i holds bilinear weights at the two source positions of output i. */
function linearMatrix(
  inSize: number,
  outSize: number,
  given: number | null,
  alignCorners: boolean,
  dtype: Tensor['dtype'],
): Tensor {
  const m = dtype === 'float64' ? new Float64Array(outSize * inSize) : new Float32Array(outSize * inSize);
  const scale = scaleOf(inSize, outSize, given, alignCorners);
  for (let i = 0; i < outSize; i++) {
    const src = alignCorners ? i * scale : Math.max(0, (i + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const l1 = src - i0;
    m[i * inSize + i0] += 1 - l1;
    m[i * inSize + i1] += l1;
  }
  return new Tensor(m, [outSize, inSize], dtype);
}

/**
 * Resizes the spatial dims of [N, C, L] or [N, C, H, W] input: nearest (both) or bilinear (4-d).
 * @pytorch `torch.nn.functional.interpolate`
 */
export function interpolate(x: Tensor, opts: InterpolateOptions = {}): Tensor {
  return reportedCall('interpolate', [x, opts], () => {
    checkOptions('interpolate', opts, ['size', 'scaleFactor', 'mode', 'alignCorners'], {
      recomputeScaleFactor: null,
      antialias: false,
    });
    requireFloat(x, 'interpolate');
    const mode = opts.mode ?? 'nearest';
    if (mode !== 'nearest' && mode !== 'bilinear')
      throw new RangeError(`interpolate: not supported: mode '${String(mode)}' (nearest or bilinear)`);
    if (mode === 'nearest' && opts.alignCorners !== undefined)
      throw new RangeError(
        'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear',
      );
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new RangeError(`interpolate expects 3-d or 4-d input, got ${formatShape(x.shape)}`);
    if (mode === 'bilinear' && x.ndim !== 4)
      throw new RangeError(`Got ${x.ndim}D input, but bilinear mode needs 4D input`);
    const spatial = x.ndim - 2;
    const { sizes, scales } = plan(x, opts, spatial);
    if (sizes.some((s) => !(s > 0)))
      throw new RangeError(`interpolate: output size ${formatShape(sizes)} must be positive`);
    const ins = x.shape.slice(2);
    if (mode === 'bilinear') {
      const align = opts.alignCorners ?? false;
      return perChannel(x, 'interpolate', (images) =>
        separableMap(
          images,
          linearMatrix(ins[0], sizes[0], scales[0], align, x.dtype),
          linearMatrix(ins[1], sizes[1], scales[1], align, x.dtype),
        ),
      );
    }
    const srcIndex = sizes.map((o, d) => {
      // In float32, as PyTorch's nearest kernel computes the source index.
      const scale = Math.fround(scaleOf(ins[d], o, scales[d], false));
      return Array.from({ length: o }, (_, i) => Math.min(Math.floor(Math.fround(i * scale)), ins[d] - 1));
    });
    const planes = x.shape[0] * x.shape[1];
    const inPlane = numelOf(ins);
    const outPlane = numelOf(sizes);
    const map = new Float64Array(planes * outPlane);
    for (let p = 0; p < planes; p++)
      for (let i = 0; i < outPlane; i++) {
        const at =
          spatial === 1 ? srcIndex[0][i] : srcIndex[0][Math.floor(i / sizes[1])] * ins[1] + srcIndex[1][i % sizes[1]];
        map[p * outPlane + i] = p * inPlane + at;
      }
    return takeFlat(x, map, [x.shape[0], x.shape[1], ...sizes], 'UpsampleNearestBackward0');
  });
}

/**
 * `F.interpolate` as a module.
 * @pytorch `torch.nn.Upsample`
 */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions) {
    super();
    checkOptions('nn.Upsample', options, ['size', 'scaleFactor', 'mode', 'alignCorners'], {
      recomputeScaleFactor: null,
    });
  }

  /** interpolate(x, options). */
  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    const list = (v: number | readonly number[], f: (n: number) => string) =>
      typeof v === 'number' ? f(v) : `(${v.map(f).join(', ')})`;
    const what =
      o.size !== undefined ? `size=${list(o.size, String)}` : `scale_factor=${list(o.scaleFactor!, pyFloat)}`;
    return `${what}, mode=${o.mode ?? 'nearest'}`;
  }
}
