import { Tensor } from '../../tensor/tensor.js';
import { checkIndex, type BatchSource, type Dataset } from '../dataset.js';
import { gatherLookup } from '../dataloader.js';
import { lookupTable, type Transform } from '../transforms.js';

/** The options every in-memory image dataset takes. */
export interface ImageArrayOptions {
  train?: boolean;
  transform?: Transform;
  /** Maps each label before it is returned. */
  targetTransform?: (label: number) => number;
}

/**
 * An image classification dataset held in memory as uint8: MNIST's [N, H, W] or CIFAR's
 * [N, C, H, W], with int64 labels. `get` returns [C, H, W] images; `batch` gathers whole batches.
 */
export class ImageArrayDataset implements Dataset<[Tensor, number]>, BatchSource {
  /** uint8 [N, H, W] (one channel) or [N, C, H, W]. */
  readonly data: Tensor;
  /** int64 [N]. */
  readonly targets: Tensor;
  readonly classes: string[];
  readonly train: boolean;
  transform?: Transform;
  /** Maps each label before `get` returns it. */
  targetTransform?: (label: number) => number;
  private table: { transform: Transform | undefined; lut: Float32Array } | null = null;

  constructor(
    readonly name: string,
    classes: string[],
    images: Tensor,
    labels: Tensor,
    opts: ImageArrayOptions,
  ) {
    this.data = images;
    this.targets = labels;
    this.classes = classes;
    this.train = opts.train ?? true;
    this.transform = opts.transform;
    this.targetTransform = opts.targetTransform;
  }

  get length(): number {
    return this.targets.shape[0];
  }

  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  /** [C, H, W] of one sample. */
  get imageShape(): [number, number, number] {
    const s = this.data.shape;
    return s.length === 3 ? [1, s[1], s[2]] : [s[1], s[2], s[3]];
  }

  /** The sample at `index` as `[image, label]`: the image uint8 [C, H, W] before `transform`. */
  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.length);
    const size = this.imageShape.reduce((a, b) => a * b, 1);
    const pixels = (this.data.data as Uint8Array).slice(i * size, (i + 1) * size);
    const image = new Tensor(pixels, this.imageShape, 'uint8');
    const label = this.targets.data[i];
    return [
      this.transform ? this.transform.apply(image) : image,
      this.targetTransform ? this.targetTransform(label) : label,
    ];
  }

  /** Whether `batch` can apply the transforms: pointwise ones and no target transform. */
  get batchable(): boolean {
    return !this.targetTransform && (!this.transform || this.transform.pointwise);
  }

  /**
   * Gathers a batch straight from the uint8 array. A pointwise transform (ToTensor, Normalize)
   * is applied through a 256-entry table per channel, giving exactly the numbers `get` gives.
   */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    const [c, h, w] = this.imageShape;
    const labels = new Tensor(
      Float64Array.from(indices, (i) => this.targets.data[checkIndex(i, this.length)]),
      [indices.length],
      'int64',
    );
    if (!this.batchable) {
      throw new TypeError(
        'batch() needs a pointwise transform and no targetTransform; the DataLoader uses get() otherwise',
      );
    }
    if (!this.table || this.table.transform !== this.transform) {
      const lut = this.transform
        ? lookupTable(this.transform, c)
        : Float32Array.from({ length: 256 * c }, (_, i) => i % 256);
      this.table = { transform: this.transform, lut };
    }
    const pixels = this.data.data as Uint8Array;
    const x =
      c === 1
        ? gatherLookup(pixels, h * w, indices, this.table.lut)
        : gatherChannels(pixels, [c, h, w], indices, this.table.lut);
    return [this.transform ? x.view(indices.length, c, h, w) : x.view(indices.length, c, h, w).to('uint8'), labels];
  }
}

/** Rows of [C, H, W] uint8 images through one 256-entry table per channel. */
function gatherChannels(
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
