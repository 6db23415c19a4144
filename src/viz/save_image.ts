import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../util/atomic_file.js';
import { makeGrid, type GridOptions } from './grid.js';
import { encodePng, toRgba } from './png.js';

/**
 * torchvision's save_image: writes a [1, H, W] or [3, H, W] image, or a [B, C, H, W] batch as a
 * grid, to a PNG file. Float values are taken in [0, 1].
 */
export function saveImage(images: Tensor, path: string, opts: GridOptions = {}): void {
  const grid = makeGrid(images, opts);
  writeFileAtomic(path, encodePng(toRgba(grid)));
}
