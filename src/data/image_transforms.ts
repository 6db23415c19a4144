// torchvision's geometric transforms on [..., C, H, W] tensors: flips, crops and padding, the
// random ones drawing from torchlit's generator exactly as torchvision 0.14 draws from torch's.
import { flip } from '../autograd/ops/indexing.js';
import { contiguous, narrow } from '../autograd/ops/shape.js';
import { pad } from '../nn/padding.js';
import { rand, randint } from '../tensor/creation.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A crop or output size: one number for a square, or [height, width]. */
export type Size2 = number | readonly [number, number];

function size2(v: Size2, what: string): [number, number] {
  const s: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!s.every((x) => Number.isInteger(x) && x > 0))
    throw new RangeError(`${what} must be positive integers, got ${String(v)}`);
  return s;
}

function imageSize(img: Tensor, what: string): [number, number] {
  if (img.ndim < 2) throw new RangeError(`${what} expects a [..., H, W] tensor, got ${img.ndim} dims`);
  return [img.shape[img.ndim - 2], img.shape[img.ndim - 1]];
}

/** The padding modes torchvision's Pad and RandomCrop take. */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** torchvision's padding order: one number, [left/right, top/bottom], or [left, top, right, bottom]. */
export type Padding = number | readonly [number, number] | readonly [number, number, number, number];

function padImage(img: Tensor, padding: Padding, fill: number, mode: PaddingMode): Tensor {
  const p =
    typeof padding === 'number'
      ? [padding, padding, padding, padding]
      : padding.length === 2
        ? [padding[0], padding[1], padding[0], padding[1]]
        : [...padding];
  if (p.length !== 4)
    throw new RangeError(`Padding must be an int or a 1, 2, or 4 element tuple, not a ${p.length} element tuple`);
  if (mode === 'symmetric') throw new RangeError('Pad: not supported: padding_mode symmetric');
  const [left, top, right, bottom] = p;
  const modes = { constant: 'constant', edge: 'replicate', reflect: 'reflect' } as const;
  if (!(mode in modes)) throw new RangeError('Padding mode should be either constant, edge, reflect or symmetric');
  return pad(img, [left, right, top, bottom], mode === 'constant' ? { value: fill } : { mode: modes[mode] });
}

function crop(img: Tensor, top: number, left: number, h: number, w: number): Tensor {
  return contiguous(narrow(narrow(img, img.ndim - 2, top, h), img.ndim - 1, left, w));
}

/**
 * Flips the image left to right with probability p (one torch.rand draw per call).
 * @pytorch `torchvision.transforms.RandomHorizontalFlip`
 */
export class RandomHorizontalFlip {
  readonly pointwise = false;

  constructor(readonly p = 0.5) {}

  /** The image, flipped when the draw is below p. */
  apply(img: Tensor): Tensor {
    return rand([1]).item() < this.p ? flip(img, [img.ndim - 1]) : img;
  }
}

/**
 * Flips the image top to bottom with probability p.
 * @pytorch `torchvision.transforms.RandomVerticalFlip`
 */
export class RandomVerticalFlip {
  readonly pointwise = false;

  constructor(readonly p = 0.5) {}

  /** The image, flipped when the draw is below p. */
  apply(img: Tensor): Tensor {
    return rand([1]).item() < this.p ? flip(img, [img.ndim - 2]) : img;
  }
}

/**
 * Pads the last two dims: `fill` for constant mode, or edge / reflect.
 * @pytorch `torchvision.transforms.Pad`
 */
export class Pad {
  readonly pointwise = false;

  constructor(
    readonly padding: Padding,
    readonly fill = 0,
    readonly paddingMode: PaddingMode = 'constant',
  ) {}

  /** The padded image. */
  apply(img: Tensor): Tensor {
    return padImage(img, this.padding, this.fill, this.paddingMode);
  }
}

/**
 * The central crop of `size` (zero-padded first where the image is smaller), offsets rounded half to even as torchvision's.
 * @pytorch `torchvision.transforms.CenterCrop`
 */
export class CenterCrop {
  readonly pointwise = false;
  readonly size: [number, number];

  constructor(size: Size2) {
    this.size = size2(size, 'CenterCrop size');
  }

  /** The central crop. */
  apply(img: Tensor): Tensor {
    const [th, tw] = this.size;
    let [h, w] = imageSize(img, 'CenterCrop');
    if (th > h || tw > w) {
      const [padH, padW] = [Math.max(0, th - h), Math.max(0, tw - w)];
      img = padImage(img, [padW >> 1, padH >> 1, (padW + 1) >> 1, (padH + 1) >> 1], 0, 'constant');
      [h, w] = imageSize(img, 'CenterCrop');
    }
    return crop(img, roundHalfEven((h - th) / 2), roundHalfEven((w - tw) / 2), th, tw);
  }
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/**
 * RandomCrop's keyword arguments: `padding`, `padIfNeeded` (false), `fill` (0), `paddingMode` ('constant').
 * @pytorch `torchvision.transforms.RandomCrop`
 */
export interface RandomCropOptions {
  padding?: Padding | null;
  padIfNeeded?: boolean;
  fill?: number;
  paddingMode?: PaddingMode;
}

/**
 * A crop of `size` at a random place (after optional padding): the top then the left offset, each
 * one torch.randint draw, as torchvision draws them.
 * @pytorch `torchvision.transforms.RandomCrop`
 */
export class RandomCrop {
  readonly pointwise = false;
  readonly size: [number, number];

  constructor(
    size: Size2,
    readonly options: RandomCropOptions = {},
  ) {
    this.size = size2(size, 'RandomCrop size');
  }

  /** The crop. */
  apply(img: Tensor): Tensor {
    const { padding = null, padIfNeeded = false, fill = 0, paddingMode = 'constant' } = this.options;
    if (padding !== null) img = padImage(img, padding, fill, paddingMode);
    const [th, tw] = this.size;
    let [h, w] = imageSize(img, 'RandomCrop');
    if (padIfNeeded && w < tw) img = padImage(img, [tw - w, 0], fill, paddingMode);
    [h, w] = imageSize(img, 'RandomCrop');
    if (padIfNeeded && h < th) img = padImage(img, [0, th - h], fill, paddingMode);
    [h, w] = imageSize(img, 'RandomCrop');
    if (h < th || w < tw)
      throw new RangeError(`Required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`);
    if (h === th && w === tw) return img;
    const top = randint(0, h - th + 1, [1]).item();
    const left = randint(0, w - tw + 1, [1]).item();
    return crop(img, top, left, th, tw);
  }
}

/**
 * ITU-R 601-2 luma, 0.2989 R + 0.587 G + 0.114 B in float32 as torchvision computes it (uint8
 * images truncated back to uint8); `numOutputChannels` 1 or 3. A one-channel image passes as is.
 * @pytorch `torchvision.transforms.Grayscale`
 */
export class Grayscale {
  readonly pointwise = false;

  constructor(readonly numOutputChannels: 1 | 3 = 1) {
    if (numOutputChannels !== 1 && numOutputChannels !== 3)
      throw new RangeError('num_output_channels should be either 1 or 3');
  }

  /** The grey image. */
  apply(img: Tensor): Tensor {
    if (img.ndim < 3) throw new RangeError(`Grayscale expects a [..., C, H, W] image, got ${img.ndim} dims`);
    const c = img.shape[img.ndim - 3];
    if (c !== 1 && c !== 3)
      throw new RangeError(`Input image tensor permitted channel values are [1, 3], but found ${c}`);
    if (c === 1)
      return this.numOutputChannels === 1 ? img : img.repeat(...img.shape.map((_, i) => (i === img.ndim - 3 ? 3 : 1)));
    const plane = img.shape[img.ndim - 1] * img.shape[img.ndim - 2];
    const lead = img.numel() / (3 * plane);
    const v = img.values();
    const out = allocate(img.dtype, lead * plane);
    const [wr, wg, wb] = [Math.fround(0.2989), Math.fround(0.587), Math.fround(0.114)];
    const f = Math.fround;
    for (let n = 0; n < lead; n++)
      for (let i = 0; i < plane; i++) {
        const at = n * 3 * plane + i;
        const l = f(f(f(wr * v[at]) + f(wg * v[at + plane])) + f(wb * v[at + 2 * plane]));
        out[n * plane + i] = img.dtype === 'uint8' ? Math.trunc(l) : l;
      }
    const grey = new Tensor(out, [...img.shape.slice(0, -3), 1, ...img.shape.slice(-2)], img.dtype);
    return this.numOutputChannels === 1
      ? grey
      : grey.repeat(...grey.shape.map((_, i) => (i === grey.ndim - 3 ? 3 : 1)));
  }
}

/**
 * uint8 to float (divided by 255), float to uint8 (times 255.999, truncated), float to float.
 * @pytorch `torchvision.transforms.ConvertImageDtype`
 */
export class ConvertImageDtype {
  readonly pointwise = true;

  constructor(readonly dtype: 'float32' | 'float64' | 'uint8') {
    if (!['float32', 'float64', 'uint8'].includes(dtype))
      throw new RangeError(`ConvertImageDtype: not supported: dtype ${String(dtype)} (float32, float64 or uint8)`);
  }

  /** The image in the new dtype. */
  apply(img: Tensor): Tensor {
    const floating = img.dtype === 'float32' || img.dtype === 'float64';
    if (!floating && img.dtype !== 'uint8')
      throw new RangeError(`ConvertImageDtype: not supported: a ${img.dtype} image`);
    if (img.dtype === this.dtype) return img;
    if (floating && this.dtype !== 'uint8') return img.to(this.dtype);
    if (floating) return img.mul(255 + 1 - 1e-3).to('uint8');
    return img.to(this.dtype).div(255);
  }
}
