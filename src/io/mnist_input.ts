import { Tensor } from '../tensor/tensor.js';

/** An image prepared like the MNIST datasets, and whether it was inverted. */
export interface MnistInput {
  /** [1, 28, 28] float32 in [0, 1]: white strokes on black, as MNIST and Fashion-MNIST images. */
  image: Tensor;
  inverted: boolean;
}

/** Mean of the outermost ring of pixels of a [H, W] gray image. */
function borderMean(gray: ArrayLike<number>, h: number, w: number): number {
  let sum = 0;
  let count = 0;
  const add = (y: number, x: number) => {
    sum += gray[y * w + x];
    count++;
  };
  for (let x = 0; x < w; x++) {
    add(0, x);
    if (h > 1) add(h - 1, x);
  }
  for (let y = 1; y < h - 1; y++) {
    add(y, 0);
    if (w > 1) add(y, w - 1);
  }
  return sum / count;
}

/** Area-average resampling of a [h, w] image to [outH, outW]: each output pixel averages the source area it covers. */
export function resizeArea(src: ArrayLike<number>, h: number, w: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  for (let oy = 0; oy < outH; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          sum += wy * (Math.min(x + 1, x1) - Math.max(x, x0)) * src[y * w + x];
        }
      }
      out[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return out;
}

/**
 * Prepares any photo or drawing for an MNIST-style model: a uint8 [C, H, W] image (color is
 * reduced to luma by the reader) is resized to 28x28 by area averaging (stretching, not cropping),
 * scaled to [0, 1], and inverted when its border is light (dark strokes on paper), since the
 * datasets draw light objects on black. `invert` forces the choice.
 */
export function toMnistInput(image: Tensor, invert: boolean | 'auto' = 'auto'): MnistInput {
  if (image.ndim !== 3 || image.shape[0] !== 1)
    throw new RangeError(`expected a gray image [1, H, W], got [${image.shape.join(', ')}]`);
  const [, h, w] = image.shape;
  const gray = image.contiguous().values();
  const inverted = invert === 'auto' ? borderMean(gray, h, w) > 127.5 : invert;
  const small = resizeArea(gray, h, w, 28, 28);
  for (let i = 0; i < small.length; i++) small[i] = (inverted ? 255 - small[i] : small[i]) / 255;
  return { image: new Tensor(small, [1, 28, 28], 'float32'), inverted };
}
