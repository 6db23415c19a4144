import { Tensor } from '../../tensor/tensor.js';
import { checkIndex, type BatchSource, type Dataset } from '../dataset.js';
import type { Transform } from '../transform.js';
import { drawMaps, gatherBatch, gatherChannels, gatherLookup, planBatch, type BatchPlan } from '../batch_plan.js';

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
  private planned: { transform: Transform | undefined; plan: BatchPlan | null } | null = null;

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

  /** The stored image of sample `index`: uint8 [C, H, W], a copy, before any transform. */
  image(index: number): Tensor {
    const i = checkIndex(index, this.length);
    const size = this.imageShape.reduce((a, b) => a * b, 1);
    return new Tensor((this.data.data as Uint8Array).slice(i * size, (i + 1) * size), this.imageShape, 'uint8');
  }

  /** The sample at `index` as `[image, label]`: the image uint8 [C, H, W] before `transform`. */
  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.length);
    const image = this.image(i);
    const label = this.targets.data[i];
    return [
      this.transform ? this.transform.apply(image) : image,
      this.targetTransform ? this.targetTransform(label) : label,
    ];
  }

  /** Whether `batch` can apply the transforms: flips, crops and padding, then pointwise ones; no target transform. */
  get batchable(): boolean {
    return !this.targetTransform && this.plan() !== null;
  }

  /** The batch plan of the current transform, cached while the transform stays the same. */
  plan(): BatchPlan | null {
    if (!this.planned || this.planned.transform !== this.transform)
      this.planned = { transform: this.transform, plan: planBatch(this.transform, this.imageShape[0]) };
    return this.planned.plan;
  }

  /**
   * Gathers a batch straight from the uint8 array, giving exactly the numbers (and random draws)
   * of `get` sample by sample: flips, crops and padding move pixels, and the pointwise rest
   * (ToTensor, Normalize) is one 256-entry table per channel.
   */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    const labels = new Tensor(
      Float64Array.from(indices, (i) => this.targets.data[checkIndex(i, this.length)]),
      [indices.length],
      'int64',
    );
    const plan = this.targetTransform ? null : this.plan();
    if (!plan) {
      throw new TypeError(
        'batch() needs flips, crops, padding and pointwise transforms, and no targetTransform; the DataLoader uses get() otherwise',
      );
    }
    const [c, h, w] = this.imageShape;
    const pixels = this.data.data as Uint8Array;
    if (plan.geometric.length === 0 && plan.lut) {
      const x =
        c === 1 ? gatherLookup(pixels, h * w, indices, plan.lut) : gatherChannels(pixels, [c, h, w], indices, plan.lut);
      return [x.view(indices.length, c, h, w), labels];
    }
    const maps = drawMaps(plan, indices.length, h, w);
    const [oh, ow] = maps.outSize;
    const size = indices.length * c * oh * ow;
    const out = plan.lut ? new Float32Array(size) : new Uint8Array(size);
    gatherBatch(pixels, [c, h, w], indices, maps, plan.lut, plan.fillLevel, out);
    return [new Tensor(out, [indices.length, c, oh, ow], plan.lut ? 'float32' : 'uint8'), labels];
  }
}
