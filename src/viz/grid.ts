import { Tensor } from '../tensor/tensor.js';

/**
 * torchvision's `make_grid` arguments: `nrow`, `padding`, `normalize`, `padValue`.
 * @pytorch `torchvision.utils.make_grid`
 */
export interface GridOptions {
  /** Images per row (default 8). */
  nrow?: number;
  /** Pixels between and around images (default 2). */
  padding?: number;
  padValue?: number;
  /** Scale values to [0, 1] by their min and max (or `valueRange`), per image with `scaleEach`. */
  normalize?: boolean;
  valueRange?: [number, number];
  scaleEach?: boolean;
}

function scaleInto(values: Float32Array, start: number, end: number, range: [number, number] | undefined): void {
  let [lo, hi] = range ?? [Infinity, -Infinity];
  if (!range) {
    for (let i = start; i < end; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
  }
  const span = Math.max(hi - lo, 1e-5);
  for (let i = start; i < end; i++) values[i] = (Math.min(hi, Math.max(lo, values[i])) - lo) / span;
}

/**
 * torchvision's make_grid: a [B, C, H, W] batch (or [C, H, W], [H, W]) laid out `nrow` to a row as
 * one [3, H', W'] image (one-channel images are repeated into three), with `padding` pixels of
 * `padValue` between and around them. A single image comes back without padding.
 */
export function makeGrid(images: Tensor, opts: GridOptions = {}): Tensor {
  const nrow = opts.nrow ?? 8;
  const padding = opts.padding ?? 2;
  if (!Number.isInteger(nrow) || nrow < 1)
    throw new RangeError(`makeGrid: nrow must be a positive integer, got ${nrow}`);
  if (!Number.isInteger(padding) || padding < 0)
    throw new RangeError(`makeGrid: padding must be a non-negative integer, got ${padding}`);
  let t = images;
  if (t.ndim === 2) t = t.unsqueeze(0);
  if (t.ndim === 3) t = t.unsqueeze(0);
  if (t.ndim !== 4)
    throw new RangeError(`makeGrid expects [B, C, H, W], [C, H, W] or [H, W], got [${images.shape.join(', ')}]`);
  const [b, c, h, w] = t.shape;
  if (c !== 1 && c !== 3) throw new RangeError(`makeGrid expects 1 or 3 channels, got ${c}`);
  const dtype = opts.normalize || t.dtype !== 'uint8' ? 'float32' : 'uint8';
  const src = Float32Array.from(t.contiguous().values());
  if (opts.normalize) {
    const per = c * h * w;
    if (opts.scaleEach) for (let k = 0; k < b; k++) scaleInto(src, k * per, (k + 1) * per, opts.valueRange);
    else scaleInto(src, 0, src.length, opts.valueRange);
  }
  if (b === 1) {
    const out = Tensor.empty([3, h, w], dtype);
    for (let ch = 0; ch < 3; ch++)
      out.data.set(src.subarray((c === 1 ? 0 : ch) * h * w, ((c === 1 ? 0 : ch) + 1) * h * w), ch * h * w);
    return out;
  }
  const xmaps = Math.min(nrow, b);
  const ymaps = Math.ceil(b / xmaps);
  const cellH = h + padding;
  const cellW = w + padding;
  const gridH = cellH * ymaps + padding;
  const gridW = cellW * xmaps + padding;
  const out = Tensor.empty([3, gridH, gridW], dtype);
  out.data.fill(opts.padValue ?? 0);
  for (let k = 0; k < b; k++) {
    const y0 = Math.floor(k / xmaps) * cellH + padding;
    const x0 = (k % xmaps) * cellW + padding;
    for (let ch = 0; ch < 3; ch++) {
      const from = (k * c + (c === 1 ? 0 : ch)) * h * w;
      for (let y = 0; y < h; y++)
        out.data.set(src.subarray(from + y * w, from + (y + 1) * w), ch * gridH * gridW + (y0 + y) * gridW + x0);
    }
  }
  return out;
}
