// torchvision 0.14's RandomRotation and RandomAffine on tensors: the inverse affine matrix in
// double as torchvision computes it, then its float32 sampling grid and PyTorch's CPU grid_sample
// (align_corners=False, zeros padding, nearest or bilinear), with the fill mask it appends.
import { Tensor } from '../tensor/tensor.js';
import { drawUniform } from './random_draws.js';
import type { Transform } from './transform.js';
import { roundHalfEven } from './round_half_even.js';
import { checkInterpolation } from './resize.js';

const f = Math.fround;
const radians = (deg: number) => (deg * Math.PI) / 180;

/** The interpolations the affine transforms take. */
export type AffineInterpolation = 'nearest' | 'bilinear';

/**
 * The 2 x 3 matrix mapping output pixels to input pixels, as torchvision's
 * `_get_inverse_affine_matrix` (centre relative to the image centre).
 */
export function inverseAffineMatrix(
  [cx, cy]: readonly [number, number],
  angle: number,
  [tx, ty]: readonly [number, number],
  scale: number,
  [shx, shy]: readonly [number, number],
): number[] {
  const rot = radians(angle);
  const sx = radians(shx);
  const sy = radians(shy);
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((x) => x / scale);
  m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
  m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
  m[2] += cx;
  m[5] += cy;
  return m;
}

/** The output size of a rotation with `expand`, as torchvision's `_compute_affine_output_size`. */
function expandedSize(m: number[], w: number, h: number): [number, number] {
  const theta = m.map(f);
  const corners = [
    [-0.5 * w, -0.5 * h],
    [-0.5 * w, 0.5 * h],
    [0.5 * w, 0.5 * h],
    [0.5 * w, -0.5 * h],
  ];
  const size = [0, 1].map((k) => {
    const values = corners.map(([x, y]) => f(f(f(x * theta[3 * k]) + f(y * theta[3 * k + 1])) + theta[3 * k + 2]));
    const half = f(0.5 * (k === 0 ? w : h));
    const tol = f(1e-4);
    const cmax = Math.ceil(f(Math.trunc(f(f(Math.max(...values) + half) / tol)) * tol));
    const cmin = Math.floor(f(Math.trunc(f(f(Math.min(...values) + half) / tol)) * tol));
    return Math.trunc(cmax - cmin);
  });
  return [size[0], size[1]];
}

/** Where each output pixel reads from (-1: outside the image) and, for bilinear, with which weights. */
interface SamplingGrid {
  taps: 1 | 4;
  index: Int32Array;
  weight: Float32Array;
  /** Bilinear: the summed weight of the taps inside the image (grid_sample's fill mask). */
  mask: Float32Array;
}

/**
 * The float32 sampling grid of `affine_grid` (align_corners=False) for the 2 x 3 matrix `m`,
 * resolved to grid_sample's taps: the same for every image and channel.
 */
function samplingGrid(
  m: number[],
  mode: AffineInterpolation,
  h: number,
  w: number,
  oh: number,
  ow: number,
): SamplingGrid {
  const theta = m.map(f);
  // rescaled_theta = theta^T / [w / 2, h / 2]; grid = [x, y, 1] @ rescaled_theta.
  const hw = f(0.5 * w);
  const hh = f(0.5 * h);
  const r0 = f(theta[0] / hw);
  const r1 = f(theta[3] / hh);
  const r2 = f(theta[1] / hw);
  const r3 = f(theta[4] / hh);
  const r4 = f(theta[2] / hw);
  const r5 = f(theta[5] / hh);
  const sw = f(w / 2);
  const sh = f(h / 2);
  const taps = mode === 'nearest' ? 1 : 4;
  const index = new Int32Array(oh * ow * taps);
  const weight = new Float32Array(taps === 4 ? oh * ow * 4 : 0);
  const mask = new Float32Array(taps === 4 ? oh * ow : 0);
  for (let y = 0, p = 0; y < oh; y++) {
    const by = f(-oh * 0.5 + 0.5 + y);
    const byx = f(by * r2);
    const byy = f(by * r3);
    for (let x = 0; x < ow; x++, p++) {
      const bx = f(-ow * 0.5 + 0.5 + x);
      const gx = f(f(f(bx * r0) + byx) + r4);
      const gy = f(f(f(bx * r1) + byy) + r5);
      const ix = f(f(f(gx + 1) * sw) - 0.5);
      const iy = f(f(f(gy + 1) * sh) - 0.5);
      if (taps === 1) {
        const nx = roundHalfEven(ix);
        const ny = roundHalfEven(iy);
        index[p] = nx >= 0 && nx < w && ny >= 0 && ny < h ? ny * w + nx : -1;
        continue;
      }
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const we = f(ix - x0);
      const no = f(iy - y0);
      const ea = f(1 - we);
      const so = f(1 - no);
      let inside = 0;
      for (let k = 0; k < 4; k++) {
        const cx = x0 + (k & 1);
        const cy = y0 + (k >> 1);
        const wk = f((k & 2 ? no : so) * (k & 1 ? we : ea));
        const within = cx >= 0 && cx < w && cy >= 0 && cy < h;
        index[p * 4 + k] = within ? cy * w + cx : -1;
        weight[p * 4 + k] = wk;
        inside = f(inside + (within ? wk : 0));
      }
      mask[p] = inside;
    }
  }
  return { taps, index, weight, mask };
}

/** One plane (`src` from `base`) through the grid into `out` from `to`; outside taps read 0, then `fill` (null: none). */
function samplePlane(
  grid: SamplingGrid,
  src: Float32Array,
  base: number,
  out: Float32Array,
  to: number,
  fill: number | null,
): void {
  const { index, weight, mask } = grid;
  const pixels = index.length / grid.taps;
  if (grid.taps === 1) {
    const outside = fill ?? 0;
    for (let p = 0; p < pixels; p++) {
      const i = index[p];
      out[to + p] = i >= 0 ? src[base + i] : outside;
    }
    return;
  }
  for (let p = 0; p < pixels; p++) {
    let value = 0;
    for (let k = p * 4; k < p * 4 + 4; k++) {
      const i = index[k];
      value = f(value + f((i >= 0 ? src[base + i] : 0) * weight[k]));
    }
    if (fill !== null) value = f(f(value * mask[p]) + f(f(1 - mask[p]) * fill));
    out[to + p] = value;
  }
}

/** Nearest sampling of uint8 planes: the source bytes themselves, and outside, the fill rounded half to even (wrapped to a byte as a cast). */
function nearestBytes(
  grid: SamplingGrid,
  src: Uint8Array,
  planes: number,
  planeSize: number,
  c: number,
  fill: readonly number[] | null,
): Uint8Array {
  const { index } = grid;
  const pixels = index.length;
  const out = new Uint8Array(planes * pixels);
  for (let plane = 0; plane < planes; plane++) {
    const outside = fill ? roundHalfEven(f(fill.length === 1 ? fill[0] : fill[plane % c])) : 0;
    const base = plane * planeSize;
    const to = plane * pixels;
    for (let p = 0; p < pixels; p++) {
      const i = index[p];
      out[to + p] = i >= 0 ? src[base + i] : outside;
    }
  }
  return out;
}

/**
 * `img` [..., C, H, W] through the inverse matrix `m`, into [oh, ow], padded pixels set to `fill`
 * (one value, or one per channel; null: zeros, without the fill mask), as torchvision's tensor affine and rotate.
 */
export function affineImage(
  img: Tensor,
  m: number[],
  mode: AffineInterpolation,
  fill: readonly number[] | null,
  out?: [number, number],
): Tensor {
  if (img.ndim < 3) throw new RangeError(`affine expects a [..., C, H, W] tensor, got ${img.ndim} dims`);
  const floating = img.dtype === 'float32';
  if (!floating && img.dtype !== 'uint8')
    throw new RangeError(`affine: not supported: a ${img.dtype} image (uint8 or float32)`);
  const [c, h, w] = img.shape.slice(-3);
  if (fill && fill.length !== 1 && fill.length !== c)
    throw new RangeError(
      `The number of elements in 'fill' does not match the number of channels of the image (${fill.length} != ${c})`,
    );
  const [oh, ow] = out ?? [h, w];
  const grid = samplingGrid(m, mode, h, w, oh, ow);
  const planes = img.numel() / (h * w);
  const values = img.values();
  const shape = [...img.shape.slice(0, -2), oh, ow];
  if (!floating && grid.taps === 1)
    return new Tensor(nearestBytes(grid, values as Uint8Array, planes, h * w, c, fill), shape, 'uint8');
  const src = values instanceof Float32Array ? values : Float32Array.from(values);
  const result = new Float32Array(planes * oh * ow);
  for (let plane = 0; plane < planes; plane++) {
    const fillValue = fill ? f(fill.length === 1 ? fill[0] : fill[plane % c]) : null;
    samplePlane(grid, src, plane * h * w, result, plane * oh * ow, fillValue);
  }
  if (floating) return new Tensor(result, shape, 'float32');
  const bytes = new Uint8Array(result.length);
  for (let i = 0; i < result.length; i++) bytes[i] = roundHalfEven(result[i]);
  return new Tensor(bytes, shape, 'uint8');
}

function angleRange(value: number | readonly number[], name: string, sizes: number[]): number[] {
  if (typeof value === 'number') {
    if (value < 0) throw new RangeError(`If ${name} is a single number, it must be positive.`);
    return [-value, value];
  }
  if (!sizes.includes(value.length))
    throw new RangeError(`If ${name} is a sequence, it must be of len ${sizes.join(' or ')}.`);
  return [...value];
}

function fillOf(fill: number | readonly number[] | undefined, channels: number): number[] {
  const v = fill ?? 0;
  return typeof v === 'number' ? new Array<number>(channels).fill(v) : [...v];
}

/**
 * RandomRotation's keyword arguments: `interpolation` ('nearest'), `expand`, `center` (pixels), `fill`.
 * @pytorch `torchvision.transforms.RandomRotation`
 */
export interface RandomRotationOptions {
  interpolation?: AffineInterpolation;
  expand?: boolean;
  center?: readonly [number, number];
  fill?: number | readonly number[];
}

/**
 * Rotates by an angle drawn uniformly from `degrees` (one number d: [-d, d]), counter-clockwise.
 * @pytorch `torchvision.transforms.RandomRotation`
 */
export class RandomRotation implements Transform {
  readonly pointwise = false;
  readonly degrees: number[];

  constructor(
    degrees: number | readonly [number, number],
    readonly options: RandomRotationOptions = {},
  ) {
    this.degrees = angleRange(degrees, 'degrees', [2]);
    checkInterpolation(options.interpolation ?? 'nearest');
  }

  /** The rotated image. */
  apply(img: Tensor): Tensor {
    const [c, h, w] = img.shape.slice(-3);
    const fill = fillOf(this.options.fill, c);
    const angle = drawUniform(this.degrees[0], this.degrees[1]);
    const center = this.options.center;
    const centre: [number, number] = center ? [center[0] - w * 0.5, center[1] - h * 0.5] : [0, 0];
    const m = inverseAffineMatrix(centre, -angle, [0, 0], 1, [0, 0]);
    const out = this.options.expand ? expandedSize(m, w, h) : ([w, h] as [number, number]);
    return affineImage(img, m, this.options.interpolation ?? 'nearest', fill, [out[1], out[0]]);
  }
}

/**
 * RandomAffine's keyword arguments: `translate` (fractions of width and height), `scale` range,
 * `shear` (one number, a range for x, or ranges for x and y), `interpolation`, `fill`, `center`.
 * @pytorch `torchvision.transforms.RandomAffine`
 */
export interface RandomAffineOptions {
  translate?: readonly [number, number];
  scale?: readonly [number, number];
  shear?: number | readonly [number, number] | readonly [number, number, number, number];
  interpolation?: AffineInterpolation;
  fill?: number | readonly number[];
  center?: readonly [number, number];
}

/**
 * A random rotation, translation, scale and shear, drawn in torchvision's order: angle,
 * translation (rounded to whole pixels), scale, shear x, shear y.
 * @pytorch `torchvision.transforms.RandomAffine`
 */
export class RandomAffine implements Transform {
  readonly pointwise = false;
  readonly degrees: number[];
  readonly shear: number[] | null;

  constructor(
    degrees: number | readonly [number, number],
    readonly options: RandomAffineOptions = {},
  ) {
    this.degrees = angleRange(degrees, 'degrees', [2]);
    const { translate, scale, shear } = options;
    if (translate && !translate.every((t) => t >= 0 && t <= 1))
      throw new RangeError('translation values should be between 0 and 1');
    if (scale && !scale.every((s) => s > 0)) throw new RangeError('scale values should be positive');
    this.shear = shear === undefined ? null : angleRange(shear, 'shear', [2, 4]);
    checkInterpolation(options.interpolation ?? 'nearest');
  }

  /** The transformed image. */
  apply(img: Tensor): Tensor {
    const [c, h, w] = img.shape.slice(-3);
    const fill = fillOf(this.options.fill, c);
    const angle = drawUniform(this.degrees[0], this.degrees[1]);
    let [tx, ty] = [0, 0];
    if (this.options.translate) {
      const [dx, dy] = [this.options.translate[0] * w, this.options.translate[1] * h];
      tx = roundHalfEven(drawUniform(-dx, dx));
      ty = roundHalfEven(drawUniform(-dy, dy));
    }
    const scale = this.options.scale ? drawUniform(this.options.scale[0], this.options.scale[1]) : 1;
    let shear: [number, number] = [0, 0];
    if (this.shear) {
      const sx = drawUniform(this.shear[0], this.shear[1]);
      shear = [sx, this.shear.length === 4 ? drawUniform(this.shear[2], this.shear[3]) : 0];
    }
    const center = this.options.center;
    const centre: [number, number] = center ? [center[0] - w * 0.5, center[1] - h * 0.5] : [0, 0];
    const m = inverseAffineMatrix(centre, angle, [tx, ty], scale, shear);
    return affineImage(img, m, this.options.interpolation ?? 'nearest', fill);
  }
}
