import type { Tensor } from '../tensor/tensor.js';
import { colormap, type ColormapName } from './colormap.js';
import { encodeRgbaPng } from './png_encode.js';

/** 8-bit RGBA pixels, row by row, with the image's size. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes. */
  data: Uint8Array;
}

/** Encodes RGBA pixels as PNG bytes. */
export function encodePng(img: RgbaImage): Uint8Array {
  return encodeRgbaPng(img.width, img.height, img.data);
}

/** How `toRgba` colours an image: colormap and value range. */
export interface ToRgbaOptions {
  /** For one-channel images: how values map to colours (default gray). */
  cmap?: ColormapName;
  /** Values mapped to the colormap's ends; default [0, 1] for floats (uint8: [0, 255]), or the image's own range with `normalize`. */
  range?: [number, number];
  normalize?: boolean;
}

/**
 * A [1, H, W] or [3, H, W] image (or [H, W]) as RGBA bytes: float values in `range` scale to
 * 0-255 as torchvision's save_image does (x * 255 + 0.5, clamped); one channel goes through a colormap.
 */
export function toRgba(image: Tensor, opts: ToRgbaOptions = {}): RgbaImage {
  const t = image.ndim === 2 ? image.unsqueeze(0) : image;
  if (t.ndim !== 3 || (t.shape[0] !== 1 && t.shape[0] !== 3))
    throw new RangeError(`expected an image [1, H, W], [3, H, W] or [H, W], got [${image.shape.join(', ')}]`);
  const [channels, height, width] = t.shape;
  const values = t.contiguous().values();
  let [lo, hi] = opts.range ?? (t.dtype === 'uint8' ? [0, 255] : [0, 1]);
  if (opts.normalize) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
  }
  const span = hi - lo || 1;
  const byte = (v: number) => Math.min(255, Math.max(0, Math.floor(((v - lo) / span) * 255 + 0.5)));
  const n = width * height;
  const data = new Uint8Array(n * 4);
  const cmap = opts.cmap ?? 'gray';
  for (let i = 0; i < n; i++) {
    if (channels === 3) {
      data[i * 4] = byte(values[i]);
      data[i * 4 + 1] = byte(values[n + i]);
      data[i * 4 + 2] = byte(values[2 * n + i]);
    } else if (cmap === 'gray') {
      const g = byte(values[i]);
      data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = g;
    } else {
      data.set(colormap(cmap, byte(values[i]) / 255), i * 4);
    }
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}
