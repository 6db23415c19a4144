// torchvision's Resize and RandomResizedCrop on tensors: PyTorch 1.13's interpolate (nearest,
// bilinear with align_corners=False, and antialiased bilinear), computed in float32 step by step
// as ATen does, one axis at a time; uint8 images go through float32 and are rounded back.
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { cropAxis, gatherAxes } from './index_maps.js';
import { drawInt, drawUniform } from './random_draws.js';
import { roundHalfEven } from './round_half_even.js';

const f = Math.fround;

/** The interpolations Resize takes (torchvision's InterpolationMode values). */
export type Interpolation = 'nearest' | 'bilinear';

/** For each output index, `taps` input indices and weights, of which the first `counts[i]` count. */
interface AxisWeights {
  taps: number;
  counts: Int32Array;
  index: Int32Array;
  weights: Float32Array;
}

function nearestIndex(inSize: number, outSize: number): Int32Array {
  const out = new Int32Array(outSize);
  const scale = f(inSize / outSize);
  for (let i = 0; i < outSize; i++)
    out[i] = outSize === inSize ? i : outSize === 2 * inSize ? i >> 1 : Math.min(Math.floor(f(i * scale)), inSize - 1);
  return out;
}

function bilinearWeights(inSize: number, outSize: number): AxisWeights {
  const scale = f(inSize / outSize);
  const index = new Int32Array(2 * outSize);
  const weights = new Float32Array(2 * outSize);
  for (let i = 0; i < outSize; i++) {
    const src = f(Math.max(0, scale * (i + 0.5) - 0.5));
    const i0 = Math.floor(src);
    const l1 = f(src - i0);
    // At the last row the second tap repeats the first, as ATen's zero offset there.
    index[2 * i] = i0;
    index[2 * i + 1] = i0 < inSize - 1 ? i0 + 1 : i0;
    weights[2 * i] = f(1 - l1);
    weights[2 * i + 1] = l1;
  }
  return { taps: 2, counts: new Int32Array(outSize).fill(2), index, weights };
}

function antialiasWeights(inSize: number, outSize: number): AxisWeights {
  const scale = f(inSize / outSize);
  const support = f(scale >= 1 ? scale : 1);
  const invscale = scale >= 1 ? f(1 / scale) : 1;
  const taps = Math.ceil(support) * 2 + 1;
  const counts = new Int32Array(outSize);
  const index = new Int32Array(taps * outSize);
  const weights = new Float32Array(taps * outSize);
  for (let i = 0; i < outSize; i++) {
    const center = f(scale * (i + 0.5));
    const xmin = Math.max(Math.trunc(f(center - support) + 0.5), 0);
    const xsize = Math.min(Math.trunc(f(center + support) + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const x = Math.abs(f((f(j + xmin - center) + 0.5) * invscale));
      const w = x < 1 ? f(1 - x) : 0;
      index[i * taps + j] = xmin + j;
      weights[i * taps + j] = w;
      total = f(total + w);
    }
    if (total !== 0) for (let j = 0; j < xsize; j++) weights[i * taps + j] = f(weights[i * taps + j] / total);
    counts[i] = xsize;
  }
  return { taps, counts, index, weights };
}

/** Resamples float values [planes, h, w] along one axis (rows when `vertical`), accumulating as ATen. */
function resampleAxis(
  src: Float32Array | Float64Array,
  [planes, h, w]: [number, number, number],
  { taps, counts, index, weights }: AxisWeights,
  vertical: boolean,
): Float32Array | Float64Array {
  const outLen = counts.length;
  const [oh, ow] = vertical ? [outLen, w] : [h, outLen];
  const round = src instanceof Float32Array ? f : (v: number) => v;
  const out = src instanceof Float32Array ? new Float32Array(planes * oh * ow) : new Float64Array(planes * oh * ow);
  const step = vertical ? w : 1;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const i = vertical ? y : x;
        const base = p * h * w + (vertical ? x : y * w);
        let acc = 0;
        for (let t = 0; t < counts[i]; t++) {
          const term = round(src[base + index[i * taps + t] * step] * weights[i * taps + t]);
          acc = t === 0 ? term : round(acc + term);
        }
        out[o++] = acc;
      }
    }
  }
  return out;
}

/**
 * `img` [..., C, H, W] resized to [oh, ow] as torchvision 0.14's tensor resize does it.
 * @pytorch `torchvision.transforms.functional.resize`
 */
export function resizeImage(img: Tensor, [oh, ow]: [number, number], mode: Interpolation, antialias: boolean): Tensor {
  if (antialias && mode !== 'bilinear')
    throw new RangeError('Antialias option is supported for bilinear and bicubic interpolation modes only');
  if (img.ndim < 2) throw new RangeError(`resize expects a [..., H, W] tensor, got ${img.ndim} dims`);
  const [h, w] = img.shape.slice(-2);
  const planes = img.numel() / (h * w);
  const floating = img.dtype === 'float32' || img.dtype === 'float64';
  if (!floating && img.dtype !== 'uint8') throw new RangeError(`resize: not supported: a ${img.dtype} image`);
  if (mode === 'nearest') return gatherAxes(img, { rows: nearestIndex(h, oh), cols: nearestIndex(w, ow), fill: 0 });
  const weightsOf = antialias ? antialiasWeights : bilinearWeights;
  const values = img.dtype === 'float64' ? Float64Array.from(img.values()) : Float32Array.from(img.values());
  const across = resampleAxis(values, [planes, h, w], weightsOf(w, ow), false);
  const down = resampleAxis(across, [planes, h, ow], weightsOf(h, oh), true);
  const shape = [...img.shape.slice(0, -2), oh, ow];
  if (floating) return new Tensor(down, shape, img.dtype);
  const out = allocate('uint8', down.length);
  for (let i = 0; i < down.length; i++) out[i] = roundHalfEven(down[i]);
  return new Tensor(out, shape, 'uint8');
}

/** torchvision's output size: `size` for the shorter edge (capped by maxSize), or [h, w]. */
function outputSize(
  [h, w]: [number, number],
  size: number | readonly [number, number],
  maxSize?: number,
): [number, number] {
  if (typeof size !== 'number') return [size[0], size[1]];
  const [short, long] = w <= h ? [w, h] : [h, w];
  let [newShort, newLong] = [size, Math.trunc((size * long) / short)];
  if (maxSize !== undefined) {
    if (maxSize <= size)
      throw new RangeError(
        `max_size = ${maxSize} must be strictly greater than the requested size for the smaller edge size = ${size}`,
      );
    if (newLong > maxSize) [newShort, newLong] = [Math.trunc((maxSize * newShort) / newLong), maxSize];
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

/**
 * Resize's keyword arguments: `interpolation` ('bilinear'), `maxSize`, `antialias` (false for
 * tensors, torchvision 0.14's default).
 * @pytorch `torchvision.transforms.Resize`
 */
export interface ResizeOptions {
  interpolation?: Interpolation;
  maxSize?: number;
  antialias?: boolean;
}

function checkSize(size: number | readonly number[], what: string): void {
  const dims = typeof size === 'number' ? [size] : size;
  if (dims.length < 1 || dims.length > 2 || !dims.every((d) => Number.isInteger(d) && d > 0))
    throw new RangeError(`${what}: size must be a positive integer or [height, width], got ${String(size)}`);
}

/** Refuses interpolations other than nearest and bilinear by name. */
export function checkInterpolation(mode: string): void {
  if (mode !== 'nearest' && mode !== 'bilinear')
    throw new RangeError(`not supported: interpolation ${mode} (nearest or bilinear)`);
}

/**
 * Resizes the image: a number sets the shorter edge (keeping the aspect ratio), [h, w] both.
 * @pytorch `torchvision.transforms.Resize`
 */
export class Resize {
  readonly pointwise = false;
  readonly size: number | readonly [number, number];

  constructor(
    size: number | readonly [number] | readonly [number, number],
    readonly options: ResizeOptions = {},
  ) {
    checkSize(size, 'Resize');
    this.size = typeof size === 'number' ? size : size.length === 1 ? size[0] : [size[0], size[1]];
    checkInterpolation(options.interpolation ?? 'bilinear');
    if (options.maxSize !== undefined && typeof this.size !== 'number')
      throw new RangeError(
        'max_size should only be passed if size specifies the length of the smaller edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.',
      );
  }

  /** The resized image (unchanged when already that size). */
  apply(img: Tensor): Tensor {
    const { interpolation = 'bilinear', maxSize, antialias = false } = this.options;
    const [h, w] = img.shape.slice(-2);
    const out = outputSize([h, w], this.size, maxSize);
    if (out[0] === h && out[1] === w) return img;
    return resizeImage(img, out, interpolation, antialias);
  }
}

/**
 * RandomResizedCrop's keyword arguments: `scale` ([0.08, 1]), `ratio` ([3/4, 4/3]), `interpolation`, `antialias`.
 * @pytorch `torchvision.transforms.RandomResizedCrop`
 */
export interface RandomResizedCropOptions {
  scale?: readonly [number, number];
  ratio?: readonly [number, number];
  interpolation?: Interpolation;
  antialias?: boolean;
}

/**
 * A crop of random area and aspect ratio resized to `size`: up to ten draws of area and log-ratio,
 * then the offsets, as torchvision draws them; the central crop when no draw fits.
 * @pytorch `torchvision.transforms.RandomResizedCrop`
 */
export class RandomResizedCrop {
  readonly pointwise = false;
  readonly size: [number, number];

  constructor(
    size: number | readonly [number, number],
    readonly options: RandomResizedCropOptions = {},
  ) {
    checkSize(size, 'RandomResizedCrop');
    this.size = typeof size === 'number' ? [size, size] : [size[0], size[1]];
    checkInterpolation(options.interpolation ?? 'bilinear');
  }

  /** The crop window [top, left, height, width] for an h x w image, drawn as torchvision draws it. */
  params(height: number, width: number): [number, number, number, number] {
    const [s0, s1] = this.options.scale ?? [0.08, 1];
    const [r0, r1] = this.options.ratio ?? [3 / 4, 4 / 3];
    const area = height * width;
    const [l0, l1] = [f(Math.log(f(r0))), f(Math.log(f(r1)))];
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * drawUniform(s0, s1);
      const aspect = f(Math.exp(drawUniform(l0, l1)));
      const w = roundHalfEven(Math.sqrt(target * aspect));
      const h = roundHalfEven(Math.sqrt(target / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = drawInt(height - h + 1);
        const j = drawInt(width - w + 1);
        return [i, j, h, w];
      }
    }
    const inRatio = width / height;
    let [w, h] = [width, height];
    if (inRatio < Math.min(r0, r1)) h = roundHalfEven(w / Math.min(r0, r1));
    else if (inRatio > Math.max(r0, r1)) w = roundHalfEven(h * Math.max(r0, r1));
    return [(height - h) >> 1, (width - w) >> 1, h, w];
  }

  /** The random crop, resized. */
  apply(img: Tensor): Tensor {
    const [height, width] = img.shape.slice(-2);
    const [i, j, h, w] = this.params(height, width);
    const crop = gatherAxes(img, { rows: cropAxis(i, h), cols: cropAxis(j, w), fill: 0 });
    if (h === this.size[0] && w === this.size[1]) return crop;
    return resizeImage(crop, this.size, this.options.interpolation ?? 'bilinear', this.options.antialias ?? false);
  }
}
