// torchvision 0.14's TrivialAugmentWide and the image operations it picks from: shear, translate,
// rotate, brightness, colour, contrast, sharpness, posterize, solarize, autocontrast, equalize.
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { affineImage, inverseAffineMatrix, type AffineInterpolation } from './affine.js';
import { adjustBrightness, adjustContrast, adjustSaturation, blend } from './color.js';
import { drawInt } from './random_draws.js';
import { checkInterpolation } from './resize.js';
import type { Transform } from './transform.js';
import { roundHalfEven } from './round_half_even.js';

const f = Math.fround;

function checkImage(img: Tensor, what: string, uint8Only = false): [number, number, number] {
  if (img.ndim < 3) throw new TypeError(`Input image tensor should have at least 3 dimensions, but found ${img.ndim}`);
  if (uint8Only && img.dtype !== 'uint8')
    throw new TypeError(`Only torch.uint8 image tensors are supported, but found torch.${img.dtype}`);
  if (!uint8Only && img.dtype !== 'uint8' && img.dtype !== 'float32')
    throw new RangeError(`${what}: not supported: a ${img.dtype} image (uint8 or float32)`);
  const [c, h, w] = img.shape.slice(-3);
  if (c !== 1 && c !== 3)
    throw new RangeError(`Input image tensor permitted channel values are [1, 3], but found ${c}`);
  return [c, h, w];
}

function mapValues(img: Tensor, fn: (v: number) => number): Tensor {
  const src = img.values();
  const out = allocate(img.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]);
  return new Tensor(out, img.shape, img.dtype);
}

/**
 * Keeps the top `bits` bits of each uint8 value.
 * @pytorch `torchvision.transforms.functional.posterize`
 */
export function posterize(img: Tensor, bits: number): Tensor {
  if (!(bits >= 0 && bits <= 8)) throw new RangeError(`The number if bits should be between 0 and 8. Got ${bits}`);
  checkImage(img, 'posterize', true);
  const mask = -(2 ** (8 - bits)) & 0xff;
  return mapValues(img, (v) => v & mask);
}

/**
 * Inverts the values at or above `threshold`.
 * @pytorch `torchvision.transforms.functional.solarize`
 */
export function solarize(img: Tensor, threshold: number): Tensor {
  checkImage(img, 'solarize');
  const bound = img.dtype === 'uint8' ? 255 : 1;
  if (threshold > bound) throw new TypeError('Threshold should be less than bound of img.');
  return mapValues(img, (v) => (v >= threshold ? (img.dtype === 'uint8' ? bound - v : f(bound - v)) : v));
}

/**
 * Stretches each channel to the full range (a flat channel is left alone).
 * @pytorch `torchvision.transforms.functional.autocontrast`
 */
export function autocontrast(img: Tensor): Tensor {
  const [, h, w] = checkImage(img, 'autocontrast');
  const bound = img.dtype === 'uint8' ? 255 : 1;
  const plane = h * w;
  const src = img.values();
  const out = allocate(img.dtype, src.length);
  for (let base = 0; base < src.length; base += plane) {
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = 0; i < plane; i++) [lo, hi] = [Math.min(lo, src[base + i]), Math.max(hi, src[base + i])];
    let scale = f(bound / f(hi - lo));
    if (!Number.isFinite(scale)) [lo, scale] = [0, 1];
    for (let i = 0; i < plane; i++) {
      const v = Math.min(bound, Math.max(0, f(f(src[base + i] - lo) * scale)));
      out[base + i] = img.dtype === 'uint8' ? Math.trunc(v) : v;
    }
  }
  return new Tensor(out, img.shape, img.dtype);
}

/**
 * Equalizes each channel's histogram, as torchvision's tensor equalize.
 * @pytorch `torchvision.transforms.functional.equalize`
 */
export function equalize(img: Tensor): Tensor {
  const [, h, w] = checkImage(img, 'equalize', true);
  const plane = h * w;
  const src = img.values();
  const out = new Uint8Array(src.length);
  for (let base = 0; base < src.length; base += plane) {
    const hist = new Float64Array(256);
    for (let i = 0; i < plane; i++) hist[src[base + i]]++;
    let last = 255;
    while (last > 0 && hist[last] === 0) last--;
    let total = 0;
    for (let v = 0; v < last; v++) total += hist[v];
    const step = Math.floor(total / 255);
    if (step === 0) {
      out.set(src.subarray(base, base + plane), base);
      continue;
    }
    const lut = new Float64Array(256);
    let cumulative = 0;
    for (let v = 0; v < 255; v++) {
      cumulative += hist[v];
      lut[v + 1] = Math.min(255, Math.floor((cumulative + Math.floor(step / 2)) / step));
    }
    for (let i = 0; i < plane; i++) out[base + i] = lut[src[base + i]];
  }
  return new Tensor(out, img.shape, 'uint8');
}

/**
 * Sharpens (factor > 1) or blurs (< 1): a blend with the image smoothed by torchvision's 3 x 3
 * kernel (centre 5, the rest 1, over 13), borders kept.
 * @pytorch `torchvision.transforms.functional.adjust_sharpness`
 */
export function adjustSharpness(img: Tensor, factor: number): Tensor {
  if (factor < 0) throw new RangeError(`sharpness_factor (${factor}) is not non-negative.`);
  const [c, h, w] = checkImage(img, 'adjust_sharpness');
  if (w <= 2 || h <= 2) return img;
  const per = c * h * w;
  const src = img.values();
  const blurred = allocate(img.dtype, src.length);
  blurred.set(src);
  const [edge, centre] = [f(1 / 13), f(5 / 13)];
  for (let base = 0; base < src.length; base += h * w) {
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) {
        let acc = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++)
            acc = f(acc + f(src[base + (y + dy) * w + x + dx] * (dx === 0 && dy === 0 ? centre : edge)));
        blurred[base + y * w + x] = img.dtype === 'uint8' ? roundHalfEven(acc) : acc;
      }
  }
  return blend(img, (n, i) => blurred[n * per + i], factor);
}

/** torch.linspace(start, end, steps) in float32, computed as ATen does (from both ends). */
function linspace32(start: number, end: number, steps: number): number[] {
  const step = f(f(f(end) - f(start)) / (steps - 1));
  const half = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) =>
    i < half ? f(f(start) + f(step * i)) : f(f(end) - f(step * (steps - i - 1))),
  );
}

type Op = [name: string, magnitudes: number[] | null, signed: boolean];

function augmentationSpace(bins: number): Op[] {
  const unit = linspace32(0, 0.99, bins);
  const divisor = f((bins - 1) / 6);
  return [
    ['Identity', null, false],
    ['ShearX', unit, true],
    ['ShearY', unit, true],
    ['TranslateX', linspace32(0, 32, bins), true],
    ['TranslateY', linspace32(0, 32, bins), true],
    ['Rotate', linspace32(0, 135, bins), true],
    ['Brightness', unit, true],
    ['Color', unit, true],
    ['Contrast', unit, true],
    ['Sharpness', unit, true],
    ['Posterize', Array.from({ length: bins }, (_, i) => 8 - roundHalfEven(f(i / divisor))), false],
    ['Solarize', linspace32(255, 0, bins), false],
    ['AutoContrast', null, false],
    ['Equalize', null, false],
  ];
}

function applyOp(img: Tensor, op: string, magnitude: number, mode: AffineInterpolation, fill: number[] | null): Tensor {
  const [, h, w] = img.shape.slice(-3);
  const corner: [number, number] = [-w * 0.5, -h * 0.5];
  const shear = (Math.atan(magnitude) * 180) / Math.PI;
  switch (op) {
    case 'ShearX':
      return affineImage(img, inverseAffineMatrix(corner, 0, [0, 0], 1, [shear, 0]), mode, fill);
    case 'ShearY':
      return affineImage(img, inverseAffineMatrix(corner, 0, [0, 0], 1, [0, shear]), mode, fill);
    case 'TranslateX':
      return affineImage(img, inverseAffineMatrix([0, 0], 0, [Math.trunc(magnitude), 0], 1, [0, 0]), mode, fill);
    case 'TranslateY':
      return affineImage(img, inverseAffineMatrix([0, 0], 0, [0, Math.trunc(magnitude)], 1, [0, 0]), mode, fill);
    case 'Rotate':
      return affineImage(img, inverseAffineMatrix([0, 0], -magnitude, [0, 0], 1, [0, 0]), mode, fill);
    case 'Brightness':
      return adjustBrightness(img, 1 + magnitude);
    case 'Color':
      return adjustSaturation(img, 1 + magnitude);
    case 'Contrast':
      return adjustContrast(img, 1 + magnitude);
    case 'Sharpness':
      return adjustSharpness(img, 1 + magnitude);
    case 'Posterize':
      return posterize(img, Math.trunc(magnitude));
    case 'Solarize':
      return solarize(img, magnitude);
    case 'AutoContrast':
      return autocontrast(img);
    case 'Equalize':
      return equalize(img);
    default:
      return img;
  }
}

/**
 * TrivialAugmentWide's keyword arguments: `numMagnitudeBins` (31), `interpolation` ('nearest'), `fill`.
 * @pytorch `torchvision.transforms.TrivialAugmentWide`
 */
export interface TrivialAugmentWideOptions {
  numMagnitudeBins?: number;
  interpolation?: AffineInterpolation;
  fill?: number | readonly number[];
}

/**
 * One randomly chosen operation at a random magnitude per image (uint8 images, as torchvision
 * expects): the op, the magnitude bin and the sign drawn as torchvision draws them.
 * @pytorch `torchvision.transforms.TrivialAugmentWide`
 */
export class TrivialAugmentWide implements Transform {
  readonly pointwise = false;
  private readonly ops: Op[];

  constructor(readonly options: TrivialAugmentWideOptions = {}) {
    const bins = options.numMagnitudeBins ?? 31;
    if (!Number.isInteger(bins) || bins < 2)
      throw new RangeError(`numMagnitudeBins must be an integer >= 2, got ${bins}`);
    const mode = options.interpolation ?? 'nearest';
    checkInterpolation(mode);
    this.ops = augmentationSpace(bins);
  }

  /** The image through one random operation. */
  apply(img: Tensor): Tensor {
    const c = img.shape[img.ndim - 3];
    const fill = this.options.fill;
    const fills = fill === undefined ? null : typeof fill === 'number' ? new Array<number>(c).fill(fill) : [...fill];
    const [name, magnitudes, signed] = this.ops[drawInt(this.ops.length)];
    let magnitude = magnitudes ? magnitudes[drawInt(magnitudes.length)] : 0;
    if (signed && drawInt(2)) magnitude = -magnitude;
    return applyOp(img, name, magnitude, this.options.interpolation ?? 'nearest', fills);
  }
}
