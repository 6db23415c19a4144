import { cat } from '../autograd/ops/indexing.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Test-time augmentation: 'hflip' is each image and its mirror image (right for photos and
 * clothes, wrong for digits and letters); 'shift' is each image and its four one-pixel shifts
 * (up, down, left, right; the edge row or column repeated into the gap), right for any images.
 */
export type TtaMode = 'none' | 'hflip' | 'shift';

/** The test-time augmentations evaluate() accepts. */
export const TTA_MODES: readonly TtaMode[] = ['none', 'hflip', 'shift'];

/** The one-pixel shifts 'shift' adds, as [rows down, columns right]. */
const SHIFTS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
];

/** How many inputs each mode averages per image: what a test with it costs, in plain test passes. */
export const TTA_VIEWS: Readonly<Record<TtaMode, number>> = { none: 1, hflip: 2, shift: 1 + SHIFTS.length };

export function checkTta(tta: unknown, where: string): TtaMode {
  if (!TTA_MODES.includes(tta as TtaMode))
    throw new RangeError(
      `${where}: tta must be ${TTA_MODES.map((m) => `'${m}'`).join(', ')}; got ${JSON.stringify(tta)}`,
    );
  return tta as TtaMode;
}

/** The inputs whose outputs `evaluate` averages for one batch. */
export function ttaViews(data: Tensor, tta: TtaMode): Tensor[] {
  if (tta === 'none') return [data];
  if (data.dim() !== 4)
    throw new RangeError(
      `evaluate: tta '${tta}' augments [N, C, H, W] images, got a batch of shape [${data.shape.join(', ')}]`,
    );
  if (tta === 'hflip') return [data, data.flip(3)];
  return [data, ...SHIFTS.map(([dy, dx]) => (dy ? shifted(data, 2, dy) : shifted(data, 3, dx)))];
}

/** `x` moved one pixel along `dim` (+1 down or right), the edge row or column repeated into the gap. */
function shifted(x: Tensor, dim: number, by: number): Tensor {
  const size = x.shape[dim];
  if (size < 2) return x;
  return by > 0
    ? cat([x.narrow(dim, 0, 1), x.narrow(dim, 0, size - 1)], dim)
    : cat([x.narrow(dim, 1, size - 1), x.narrow(dim, size - 1, 1)], dim);
}
