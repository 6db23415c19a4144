// torchvision's geometric transforms on [..., C, H, W] tensors: flips, crops and padding, the
// random ones drawing from torchlit's generator exactly as torchvision 0.14 draws from torch's.
import { Tensor } from '../tensor/tensor.js';
import {
  composeMaps,
  cropAxis,
  flipAxis,
  gatherAxes,
  identityAxis,
  padAxis,
  type AxisMaps,
  type GeometricTransform,
} from './index_maps.js';
import { drawInt, drawUniform } from './random_draws.js';
import { rgbToGrayscale } from './color.js';
import { roundHalfEven } from './round_half_even.js';

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

function paddingOf(padding: Padding): [number, number, number, number] {
  const p =
    typeof padding === 'number'
      ? [padding, padding, padding, padding]
      : padding.length === 2
        ? [padding[0], padding[1], padding[0], padding[1]]
        : [...padding];
  if (p.length !== 4)
    throw new RangeError(`Padding must be an int or a 1, 2, or 4 element tuple, not a ${p.length} element tuple`);
  if (!p.every((v) => Number.isInteger(v))) throw new TypeError(`Got inappropriate padding arg: ${String(padding)}`);
  return p as [number, number, number, number];
}

function checkMode(mode: PaddingMode): void {
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(mode))
    throw new RangeError('Padding mode should be either constant, edge, reflect or symmetric');
}

/** One axis of n padded by before and after in `mode`; errors worded as torch's reflection_pad2d (which sees 4-D input). */
function padAxisChecked(
  n: number,
  before: number,
  after: number,
  mode: PaddingMode,
  axis: 'rows' | 'cols',
): Int32Array {
  if (mode === 'reflect' && (before >= n || after >= n) && (before > 0 || after > 0))
    throw new RangeError(
      `Argument #${axis === 'rows' ? 6 : 4}: Padding size should be less than the corresponding input dimension, ` +
        `but got: padding (${before}, ${after}) at dimension ${axis === 'rows' ? 2 : 3} of input 4`,
    );
  if (mode === 'symmetric' && (before > n || after > n))
    throw new RangeError(`symmetric padding of (${before}, ${after}) is larger than the axis of ${n}`);
  if (n + before + after <= 0) throw new RangeError(`padding (${before}, ${after}) leaves nothing of an axis of ${n}`);
  if (mode !== 'symmetric') return padAxis(n, before, after, mode);
  return Int32Array.from({ length: n + before + after }, (_, i) => {
    const j = i - before;
    return j < 0 ? -j - 1 : j >= n ? 2 * n - 1 - j : j;
  });
}

/** Maps of an h x w image padded as torchvision orders `padding`. */
function padMaps(h: number, w: number, padding: Padding, fill: number, mode: PaddingMode): AxisMaps {
  checkMode(mode);
  const [left, top, right, bottom] = paddingOf(padding);
  return {
    rows: padAxisChecked(h, top, bottom, mode, 'rows'),
    cols: padAxisChecked(w, left, right, mode, 'cols'),
    fill,
  };
}

function identityMaps(h: number, w: number): AxisMaps {
  return { rows: identityAxis(h), cols: identityAxis(w), fill: 0 };
}

function chain(first: AxisMaps, then: AxisMaps): AxisMaps {
  const maps = composeMaps(first, then);
  if (!maps) throw new Error('internal: one transform padded with two fill values');
  return maps;
}

/** Flips, crops and padding: apply gathers through the transform's own maps. */
abstract class Geometric implements GeometricTransform {
  readonly pointwise = false;
  protected abstract readonly name: string;
  abstract readonly padValue: number | null;

  abstract indexMaps(h: number, w: number): AxisMaps;

  /** The transformed image. */
  apply(img: Tensor): Tensor {
    const [h, w] = imageSize(img, this.name);
    return gatherAxes(img, this.indexMaps(h, w));
  }
}

/** A flip of one axis with probability p: one torch.rand draw per call. */
abstract class RandomFlip extends Geometric {
  readonly padValue = null;
  protected abstract readonly vertical: boolean;

  constructor(readonly p = 0.5) {
    super();
  }

  /** Draws the coin; the axis reversed when it falls below p. */
  indexMaps(h: number, w: number): AxisMaps {
    const flipped = drawUniform() < this.p;
    const flip = (n: number, axis: boolean) => (flipped && axis ? flipAxis(n) : identityAxis(n));
    return { rows: flip(h, this.vertical), cols: flip(w, !this.vertical), fill: 0 };
  }
}

/**
 * Flips the image left to right with probability p (one torch.rand draw per call).
 * @pytorch `torchvision.transforms.RandomHorizontalFlip`
 */
export class RandomHorizontalFlip extends RandomFlip {
  protected readonly name = 'RandomHorizontalFlip';
  protected readonly vertical = false;
}

/**
 * Flips the image top to bottom with probability p.
 * @pytorch `torchvision.transforms.RandomVerticalFlip`
 */
export class RandomVerticalFlip extends RandomFlip {
  protected readonly name = 'RandomVerticalFlip';
  protected readonly vertical = true;
}

/**
 * Pads the last two dims: `fill` for constant mode, or edge / reflect / symmetric.
 * @pytorch `torchvision.transforms.Pad`
 */
export class Pad extends Geometric {
  protected readonly name = 'Pad';
  readonly padValue: number | null;

  constructor(
    readonly padding: Padding,
    readonly fill = 0,
    readonly paddingMode: PaddingMode = 'constant',
  ) {
    super();
    this.padValue = paddingMode === 'constant' ? fill : null;
    paddingOf(padding);
    checkMode(paddingMode);
  }

  /** The padded axes. */
  indexMaps(h: number, w: number): AxisMaps {
    return padMaps(h, w, this.padding, this.fill, this.paddingMode);
  }
}

/**
 * The central crop of `size` (zero-padded first where the image is smaller), offsets rounded half to even as torchvision's.
 * @pytorch `torchvision.transforms.CenterCrop`
 */
export class CenterCrop extends Geometric {
  protected readonly name = 'CenterCrop';
  readonly padValue = 0;
  readonly size: [number, number];

  constructor(size: Size2) {
    super();
    this.size = size2(size, 'CenterCrop size');
  }

  /** The central window, after zero padding where the image is smaller. */
  indexMaps(h: number, w: number): AxisMaps {
    const [th, tw] = this.size;
    let maps = identityMaps(h, w);
    if (th > h || tw > w) {
      const [padH, padW] = [Math.max(0, th - h), Math.max(0, tw - w)];
      maps = padMaps(h, w, [padW >> 1, padH >> 1, (padW + 1) >> 1, (padH + 1) >> 1], 0, 'constant');
    }
    const [ph, pw] = [maps.rows.length, maps.cols.length];
    const window = {
      rows: cropAxis(roundHalfEven((ph - th) / 2), th),
      cols: cropAxis(roundHalfEven((pw - tw) / 2), tw),
      fill: 0,
    };
    return chain(maps, window);
  }
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
export class RandomCrop extends Geometric {
  protected readonly name = 'RandomCrop';
  readonly size: [number, number];
  readonly padValue: number | null;

  constructor(
    size: Size2,
    readonly options: RandomCropOptions = {},
  ) {
    super();
    this.size = size2(size, 'RandomCrop size');
    const unknown = Object.keys(options).filter((k) => !['padding', 'padIfNeeded', 'fill', 'paddingMode'].includes(k));
    if (unknown.length > 0) throw new RangeError(`RandomCrop: not supported: option ${unknown.join(', ')}`);
    if (options.padding != null) paddingOf(options.padding);
    checkMode(options.paddingMode ?? 'constant');
    const pads = options.padding != null || options.padIfNeeded === true;
    this.padValue = pads && (options.paddingMode ?? 'constant') === 'constant' ? (options.fill ?? 0) : null;
  }

  /** Pads as asked, then draws the top and left offsets of the window. */
  indexMaps(h: number, w: number): AxisMaps {
    const { padding = null, padIfNeeded = false, fill = 0, paddingMode = 'constant' } = this.options;
    let maps = padding !== null ? padMaps(h, w, padding, fill, paddingMode) : identityMaps(h, w);
    const [th, tw] = this.size;
    const width = () => maps.cols.length;
    const height = () => maps.rows.length;
    if (padIfNeeded && width() < tw)
      maps = chain(maps, padMaps(height(), width(), [tw - width(), 0], fill, paddingMode));
    if (padIfNeeded && height() < th)
      maps = chain(maps, padMaps(height(), width(), [0, th - height()], fill, paddingMode));
    const [ph, pw] = [height(), width()];
    if (ph < th || pw < tw)
      throw new RangeError(`Required crop size (${th}, ${tw}) is larger than input image size (${ph}, ${pw})`);
    if (ph === th && pw === tw) return maps;
    const top = drawInt(ph - th + 1);
    const left = drawInt(pw - tw + 1);
    return { rows: maps.rows.subarray(top, top + th), cols: maps.cols.subarray(left, left + tw), fill };
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
    const grey = rgbToGrayscale(img);
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
