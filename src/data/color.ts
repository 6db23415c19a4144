// torchvision 0.14's colour adjustments on [..., C, H, W] tensors, in float32 step by step as its
// tensor code computes them: luma, brightness, contrast, saturation, hue, and ColorJitter.
import { randperm } from '../tensor/creation.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { drawUniform } from './random_draws.js';
import type { Transform } from './transform.js';

const f = Math.fround;

function channels(img: Tensor, allowed: number[], what: string, dtypes = ['uint8', 'float32']): number {
  if (img.ndim < 3) throw new RangeError(`${what} expects a [..., C, H, W] image, got ${img.ndim} dims`);
  const c = img.shape[img.ndim - 3];
  if (!allowed.includes(c))
    throw new RangeError(`Input image tensor permitted channel values are [${allowed.join(', ')}], but found ${c}`);
  if (!dtypes.includes(img.dtype))
    throw new RangeError(`${what}: not supported: a ${img.dtype} image (${dtypes.join(' or ')})`);
  return c;
}

/**
 * ITU-R 601-2 luma, 0.2989 R + 0.587 G + 0.114 B in float32 (uint8 truncated back), [..., 1, H, W].
 * @pytorch `torchvision.transforms.functional.rgb_to_grayscale`
 */
export function rgbToGrayscale(img: Tensor): Tensor {
  const c = channels(img, [1, 3], 'rgb_to_grayscale', ['uint8', 'float32', 'float64']);
  if (c === 1) return new Tensor(img.values().slice(), img.shape, img.dtype);
  const plane = img.shape[img.ndim - 1] * img.shape[img.ndim - 2];
  const lead = img.numel() / (3 * plane);
  const v = img.values();
  const out = allocate(img.dtype, lead * plane);
  const f = img.dtype === 'float64' ? (x: number) => x : Math.fround;
  const [wr, wg, wb] = [f(0.2989), f(0.587), f(0.114)];
  for (let n = 0; n < lead; n++)
    for (let i = 0; i < plane; i++) {
      const at = n * 3 * plane + i;
      const l = f(f(f(wr * v[at]) + f(wg * v[at + plane])) + f(wb * v[at + 2 * plane]));
      out[n * plane + i] = img.dtype === 'uint8' ? Math.trunc(l) : l;
    }
  return new Tensor(out, [...img.shape.slice(0, -3), 1, ...img.shape.slice(-2)], img.dtype);
}

/** ratio * a + (1 - ratio) * b, clamped to the dtype's range and cast back, as torchvision's _blend; `b` repeats per image. */
export function blend(img: Tensor, other: (image: number, i: number) => number, ratio: number): Tensor {
  const [c, h, w] = img.shape.slice(-3);
  const per = c * h * w;
  const a = img.values();
  const out = allocate(img.dtype, a.length);
  const [r, s] = [f(ratio), f(1 - ratio)];
  const bound = img.dtype === 'uint8' ? 255 : 1;
  for (let i = 0; i < a.length; i++) {
    const v = Math.min(bound, Math.max(0, f(f(r * a[i]) + f(s * other(Math.floor(i / per), i % per)))));
    out[i] = img.dtype === 'uint8' ? Math.trunc(v) : v;
  }
  return new Tensor(out, img.shape, img.dtype);
}

function checkFactor(factor: number, name: string): void {
  if (factor < 0) throw new RangeError(`${name} (${factor}) is not non-negative.`);
}

/**
 * The image darkened or brightened: blended with black.
 * @pytorch `torchvision.transforms.functional.adjust_brightness`
 */
export function adjustBrightness(img: Tensor, factor: number): Tensor {
  checkFactor(factor, 'brightness_factor');
  channels(img, [1, 3], 'adjust_brightness');
  return blend(img, () => 0, factor);
}

/**
 * The contrast scaled: blended with the mean grey of each image.
 * @pytorch `torchvision.transforms.functional.adjust_contrast`
 */
export function adjustContrast(img: Tensor, factor: number): Tensor {
  checkFactor(factor, 'contrast_factor');
  const c = channels(img, [3, 1], 'adjust_contrast');
  const grey = (c === 3 ? rgbToGrayscale(img) : img).values();
  const per = grey.length / (img.numel() / (c * img.shape[img.ndim - 1] * img.shape[img.ndim - 2]));
  const means = Float32Array.from({ length: grey.length / per }, (_, n) => {
    let sum = 0;
    for (let i = 0; i < per; i++) sum += grey[n * per + i];
    return sum / per;
  });
  return blend(img, (n) => means[n], factor);
}

/**
 * The saturation scaled: blended with the image's grey (a one-channel image is returned as is).
 * @pytorch `torchvision.transforms.functional.adjust_saturation`
 */
export function adjustSaturation(img: Tensor, factor: number): Tensor {
  checkFactor(factor, 'saturation_factor');
  if (channels(img, [1, 3], 'adjust_saturation') === 1) return img;
  const grey = rgbToGrayscale(img).values();
  const plane = img.shape[img.ndim - 1] * img.shape[img.ndim - 2];
  return blend(img, (n, i) => grey[n * plane + (i % plane)], factor);
}

/** Python's float modulo (the sign of the divisor), in float32. */
function mod1(x: number): number {
  const r = f(x % 1);
  return r < 0 ? f(r + 1) : r;
}

/**
 * The hue rotated by `factor` (in [-0.5, 0.5]) turns of the colour wheel, through HSV as torchvision converts.
 * @pytorch `torchvision.transforms.functional.adjust_hue`
 */
export function adjustHue(img: Tensor, factor: number): Tensor {
  if (!(factor >= -0.5 && factor <= 0.5)) throw new RangeError(`hue_factor (${factor}) is not in [-0.5, 0.5].`);
  if (channels(img, [1, 3], 'adjust_hue') === 1) return img;
  const plane = img.shape[img.ndim - 1] * img.shape[img.ndim - 2];
  const src = img.values();
  const uint8 = img.dtype === 'uint8';
  const out = allocate(img.dtype, src.length);
  const hue = f(factor);
  const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
  for (let base = 0; base < src.length; base += 3 * plane) {
    for (let p = 0; p < plane; p++) {
      const [r, g, b] = [0, 1, 2].map((k) => (uint8 ? f(src[base + k * plane + p] / 255) : src[base + k * plane + p]));
      const maxc = Math.max(r, g, b);
      const minc = Math.min(r, g, b);
      const eqc = maxc === minc;
      const cr = f(maxc - minc);
      const s = f(cr / (eqc ? 1 : maxc));
      const div = eqc ? 1 : cr;
      const rc = f(f(maxc - r) / div);
      const gc = f(f(maxc - g) / div);
      const bc = f(f(maxc - b) / div);
      const hr = maxc === r ? f(bc - gc) : 0;
      const hg = maxc === g && maxc !== r ? f(f(2 + rc) - bc) : 0;
      const hb = maxc !== g && maxc !== r ? f(f(4 + gc) - rc) : 0;
      let h = f(f(f(hr + hg) + hb));
      h = f(f(f(h / 6) + 1) % 1);
      h = mod1(f(h + hue));
      const v = maxc;
      const h6 = f(h * 6);
      const i = Math.floor(h6);
      const fr = f(h6 - i);
      const pp = clamp01(f(v * f(1 - s)));
      const q = clamp01(f(v * f(1 - f(s * fr))));
      const t = clamp01(f(v * f(1 - f(s * f(1 - fr)))));
      const sector = ((i % 6) + 6) % 6;
      const rgb = [
        [v, t, pp],
        [q, v, pp],
        [pp, v, t],
        [pp, q, v],
        [t, pp, v],
        [v, pp, q],
      ][sector];
      for (let k = 0; k < 3; k++) out[base + k * plane + p] = uint8 ? Math.trunc(f(rgb[k] * 255)) : rgb[k];
    }
  }
  return new Tensor(out, img.shape, img.dtype);
}

/** A ColorJitter factor: a spread around the centre, or [min, max]. */
export type JitterRange = number | readonly [number, number];

function jitterRange(
  value: JitterRange,
  name: string,
  center = 1,
  bound: [number, number] = [0, Infinity],
  clipFirstOnZero = true,
): [number, number] | null {
  let range: [number, number];
  if (typeof value === 'number') {
    if (value < 0) throw new RangeError(`If ${name} is a single number, it must be non negative.`);
    range = [center - value, center + value];
    if (clipFirstOnZero) range[0] = Math.max(range[0], 0);
  } else if (Array.isArray(value) && value.length === 2) {
    if (!(bound[0] <= value[0] && value[0] <= value[1] && value[1] <= bound[1]))
      throw new RangeError(
        `${name} values should be between (${bound[0]}, ${bound[1] === Infinity ? 'inf' : bound[1]})`,
      );
    range = [value[0], value[1]];
  } else throw new TypeError(`${name} should be a single number or a list/tuple with length 2.`);
  return range[0] === center && range[1] === center ? null : range;
}

/**
 * ColorJitter's keyword arguments: each a spread around 1 (0 for hue) or a [min, max] range.
 * @pytorch `torchvision.transforms.ColorJitter`
 */
export interface ColorJitterOptions {
  brightness?: JitterRange;
  contrast?: JitterRange;
  saturation?: JitterRange;
  hue?: JitterRange;
}

/**
 * Random brightness, contrast, saturation and hue, in a random order: a randperm(4) draw, then one
 * uniform draw per factor that is set, as torchvision draws them.
 * @pytorch `torchvision.transforms.ColorJitter`
 */
export class ColorJitter implements Transform {
  readonly pointwise = false;
  readonly brightness: [number, number] | null;
  readonly contrast: [number, number] | null;
  readonly saturation: [number, number] | null;
  readonly hue: [number, number] | null;

  constructor(opts: ColorJitterOptions = {}) {
    this.brightness = jitterRange(opts.brightness ?? 0, 'brightness');
    this.contrast = jitterRange(opts.contrast ?? 0, 'contrast');
    this.saturation = jitterRange(opts.saturation ?? 0, 'saturation');
    this.hue = jitterRange(opts.hue ?? 0, 'hue', 0, [-0.5, 0.5], false);
  }

  /** The jittered image. */
  apply(img: Tensor): Tensor {
    const order = randperm(4).toArray();
    const draw = (r: [number, number] | null) => (r ? drawUniform(r[0], r[1]) : null);
    const factors = [draw(this.brightness), draw(this.contrast), draw(this.saturation), draw(this.hue)];
    const ops = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
    for (const k of order) {
      const factor = factors[k];
      if (factor !== null) img = ops[k](img, factor);
    }
    return img;
  }
}
