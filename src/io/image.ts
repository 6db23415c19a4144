import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { Tensor } from '../tensor/tensor.js';
import { readRegularFile } from '../util/read_file.js';

/**
 * How `readImage` returns channels: as stored, gray (1 channel), or RGB (3).
 * @pytorch `torchvision.io.ImageReadMode`
 */
export type ImageReadMode = 'unchanged' | 'gray' | 'rgb';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(b: Uint8Array): boolean {
  return PNG_SIGNATURE.every((v, i) => b[i] === v);
}

/** The most pixels an image may have (2^25, 8192 x 4096; a 48-megapixel photo is more): a header claiming more is refused before decoding. */
export const MAX_IMAGE_PIXELS = 2 ** 25;

/** Refuses a PNG whose header claims no pixels or more than MAX_IMAGE_PIXELS, before anything is inflated. */
function checkPngHeader(b: Uint8Array, name: string): void {
  if (b.length < 24) throw new Error(`${name}: truncated PNG (${b.length} bytes, no complete header)`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  if (width === 0 || height === 0) throw new Error(`${name}: PNG header claims ${width} x ${height} pixels`);
  if (width * height > MAX_IMAGE_PIXELS)
    throw new Error(
      `${name}: PNG header claims ${width} x ${height} pixels, more than the ${MAX_IMAGE_PIXELS} torchlit decodes (8192 x 4096); shrink the image first`,
    );
}

function isJpeg(b: Uint8Array): boolean {
  return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Channel count from a JPEG's start-of-frame header (1 for grayscale, 3 for colour). */
function jpegComponents(b: Uint8Array): number {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return 3;
    const marker = b[i + 1];
    const length = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return b[i + 9];
    i += 2 + length;
  }
  return 3;
}

/** RGBA pixels (HWC) to a [C, H, W] uint8 tensor keeping `channels` of them (1 = gray from R). */
function toCHW(rgba: Uint8Array, width: number, height: number, channels: number, gray: 'copy' | 'luma'): Tensor {
  const plane = width * height;
  const out = new Uint8Array(channels * plane);
  for (let p = 0; p < plane; p++) {
    const r = rgba[4 * p],
      g = rgba[4 * p + 1],
      b = rgba[4 * p + 2];
    if (channels === 1 || channels === 2) {
      out[p] = gray === 'copy' ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      if (channels === 2) out[plane + p] = rgba[4 * p + 3];
    } else {
      out[p] = r;
      out[plane + p] = g;
      out[2 * plane + p] = b;
      if (channels === 4) out[3 * plane + p] = rgba[4 * p + 3];
    }
  }
  return new Tensor(out, [channels, height, width], 'uint8');
}

/**
 * Decodes a PNG or JPEG file into a uint8 [C, H, W] tensor, like torchvision's read_image:
 * `unchanged` keeps the file's channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), `gray` gives 1, `rgb` 3.
 */
export function decodeImage(bytes: Uint8Array, mode: ImageReadMode = 'unchanged', name = 'image'): Tensor {
  let rgba: Uint8Array, width: number, height: number, channels: number;
  if (isPng(bytes)) {
    checkPngHeader(bytes, name);
    let png: PNG;
    try {
      png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new Error(`${name}: corrupt PNG (${(e as Error).message})`);
    }
    ({ width, height } = png);
    rgba = png.data;
    const meta = png as unknown as { color: boolean; alpha: boolean };
    channels = (meta.color ? 3 : 1) + (meta.alpha ? 1 : 0);
  } else if (isJpeg(bytes)) {
    try {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
        maxMemoryUsageInMB: 512,
      });
      ({ width, height } = img);
      rgba = img.data;
    } catch (e) {
      throw new Error(`${name}: corrupt JPEG (${(e as Error).message})`);
    }
    channels = jpegComponents(bytes) === 1 ? 1 : 3;
  } else {
    throw new Error(
      `${name}: not a PNG or JPEG file (unrecognised signature ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`,
    );
  }
  const gray = channels <= 2;
  if (mode === 'gray') return toCHW(rgba, width, height, 1, gray ? 'copy' : 'luma');
  if (mode === 'rgb') return toCHW(rgba, width, height, 3, 'copy');
  return toCHW(rgba, width, height, channels, 'copy');
}

/**
 * Reads a PNG or JPEG file as uint8 [C, H, W].
 * @pytorch `torchvision.io.read_image`
 */
export function readImage(path: string, mode: ImageReadMode = 'unchanged'): Tensor {
  return decodeImage(readRegularFile(path), mode, path);
}
