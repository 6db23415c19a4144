// A dataset's transform pipeline applied to a whole batch of uint8 images in one pass: the random
// flips, crops and padding first (their draws made sample by sample, in the order get() makes
// them), then the pointwise tail (ToTensor, Normalize) as one 256-entry table per channel.
import { backend } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';
import { composeMaps, identityAxis, isGeometric, type AxisMaps, type GeometricTransform } from './index_maps.js';
import { Compose, lookupTable, type Transform } from './transforms.js';

/** How a batch is made: the geometric transforms, then a table per channel (null: the uint8 pixels as they are). */
export interface BatchPlan {
  geometric: GeometricTransform[];
  lut: Float32Array | null;
  /** The fill level of padded pixels (uint8). */
  fillLevel: number;
}

function flatten(t: Transform): Transform[] {
  return t instanceof Compose ? t.transforms.flatMap(flatten) : [t];
}

/**
 * The plan for `transform` on uint8 [C, H, W] images, or null where it cannot be batched: a
 * transform that is neither geometric nor pointwise, a geometric one after a pointwise one,
 * pads with two different fills, or a tail whose output is not float32.
 */
export function planBatch(transform: Transform | undefined, channels: number): BatchPlan | null {
  const steps = transform ? flatten(transform) : [];
  const split = steps.findIndex((t) => !isGeometric(t));
  const geometric = (split < 0 ? steps : steps.slice(0, split)) as unknown as GeometricTransform[];
  const tail = split < 0 ? [] : steps.slice(split);
  if (!tail.every((t) => t.pointwise)) return null;
  const fills = new Set(geometric.map((g) => g.padValue).filter((v) => v !== null));
  if (fills.size > 1) return null;
  const fillLevel = Uint8Array.of(fills.size ? [...fills][0] : 0)[0];
  if (tail.length === 0) return { geometric, lut: null, fillLevel };
  const pointwise = new Compose(tail);
  const probe = pointwise.apply(new Tensor(new Uint8Array(channels), [channels, 1, 1], 'uint8'));
  if (probe.dtype !== 'float32') return null;
  return { geometric, lut: lookupTable(pointwise, channels), fillLevel };
}

/** A batch's maps end to end: `outSize[0]` source rows and `outSize[1]` source columns per sample (-1: fill). */
export interface BatchMaps {
  rows: Int32Array;
  cols: Int32Array;
  outSize: [number, number];
}

/** Each sample's maps, drawing the random numbers sample by sample as get() would. */
export function drawMaps(plan: BatchPlan, count: number, h: number, w: number): BatchMaps {
  const samples: AxisMaps[] = [];
  for (let b = 0; b < count; b++) {
    let maps: AxisMaps | null = null;
    for (const g of plan.geometric) {
      const next: AxisMaps = maps ? g.indexMaps(maps.rows.length, maps.cols.length) : g.indexMaps(h, w);
      maps = maps ? composeMaps(maps, next)! : next;
    }
    samples.push(maps ?? { rows: identityAxis(h), cols: identityAxis(w), fill: plan.fillLevel });
  }
  const [oh, ow] = samples.length ? [samples[0].rows.length, samples[0].cols.length] : [h, w];
  const rows = new Int32Array(count * oh);
  const cols = new Int32Array(count * ow);
  samples.forEach((m, b) => {
    rows.set(m.rows, b * oh);
    cols.set(m.cols, b * ow);
  });
  return { rows, cols, outSize: [oh, ow] };
}

/**
 * Writes the batch: sample b is image `indices[b]` of `src` ([N, C, H, W] uint8) through its maps
 * and the table. `out` is float32 with a table, uint8 without.
 */
export function gatherBatch(
  src: Uint8Array,
  [c, h, w]: readonly [number, number, number],
  indices: ArrayLike<number>,
  { rows, cols, outSize: [oh, ow] }: BatchMaps,
  lut: Float32Array | null,
  fillLevel: number,
  out: Float32Array | Uint8Array,
): void {
  const plane = h * w;
  let o = 0;
  for (let b = 0; b < indices.length; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (indices[b] * c + ch) * plane;
      const table = ch * 256;
      for (let y = 0; y < oh; y++) {
        const r = rows[b * oh + y];
        if (r < 0) {
          const v = lut ? lut[table + fillLevel] : fillLevel;
          for (let x = 0; x < ow; x++) out[o++] = v;
          continue;
        }
        const row = base + r * w;
        if (lut) {
          for (let x = 0; x < ow; x++) {
            const col = cols[b * ow + x];
            out[o++] = lut[table + (col < 0 ? fillLevel : src[row + col])];
          }
        } else {
          for (let x = 0; x < ow; x++) {
            const col = cols[b * ow + x];
            out[o++] = col < 0 ? fillLevel : src[row + col];
          }
        }
      }
    }
  }
}

/** Gathers uint8 rows through a 256-entry lookup table into float32: the fused ToTensor + Normalize. */
export function gatherLookup(
  src: Uint8Array,
  rowSize: number,
  indices: ArrayLike<number>,
  table: Float32Array,
): Tensor {
  const out = new Float32Array(indices.length * rowSize);
  backend().gatherLookup(src, rowSize, Float64Array.from(indices), table, out);
  return new Tensor(out, [indices.length * rowSize], 'float32');
}

/** Rows of [C, H, W] uint8 images through one 256-entry table per channel. */
export function gatherChannels(
  src: Uint8Array,
  [c, h, w]: [number, number, number],
  indices: ArrayLike<number>,
  lut: Float32Array,
): Tensor {
  const plane = h * w;
  const out = new Float32Array(indices.length * c * plane);
  let o = 0;
  for (let b = 0; b < indices.length; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (indices[b] * c + ch) * plane;
      const table = ch * 256;
      for (let p = 0; p < plane; p++) out[o++] = lut[table + src[base + p]];
    }
  }
  return new Tensor(out, [out.length], 'float32');
}
