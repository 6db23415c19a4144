import { randint, randn } from '../../tensor/creation.js';
import { Generator } from '../../tensor/generator.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkIndex, type Dataset } from '../dataset.js';
import type { Transform } from '../transform.js';

/**
 * `FakeData`'s options, as torchvision's: `size`, `imageSize` ([C, H, W]), `numClasses`, `randomOffset`.
 * @pytorch `torchvision.datasets.FakeData`
 */
export interface FakeDataOptions {
  /** Number of samples; default 1000. */
  size?: number;
  /** [C, H, W]; default [3, 224, 224]. */
  imageSize?: readonly [number, number, number];
  /** Default 10. */
  numClasses?: number;
  /** Added to the index to seed each sample; default 0. */
  randomOffset?: number;
  transform?: Transform;
  /** Maps each label before it is returned. */
  targetTransform?: (label: number) => number;
}

/**
 * Random images, the same for an index every time: sample i is seeded with `i + randomOffset`,
 * drawn as torchvision draws it (`randn` then `randint`), and turned to uint8 as its
 * `ToPILImage` does (x * 255, truncated, wrapped), so the images equal torchvision's.
 * @pytorch `torchvision.datasets.FakeData`
 */
export class FakeData implements Dataset<[Tensor, number]> {
  readonly length: number;
  readonly imageSize: readonly [number, number, number];
  readonly numClasses: number;
  readonly randomOffset: number;
  readonly classes: string[];
  transform?: Transform;
  /** Maps each label before `get` returns it. */
  targetTransform?: (label: number) => number;

  constructor(opts: FakeDataOptions = {}) {
    this.length = opts.size ?? 1000;
    this.imageSize = opts.imageSize ?? [3, 224, 224];
    this.numClasses = opts.numClasses ?? 10;
    this.randomOffset = opts.randomOffset ?? 0;
    if (!Number.isInteger(this.length) || this.length < 0)
      throw new RangeError(`FakeData: size must be a non-negative integer, got ${this.length}`);
    if (this.imageSize.length !== 3 || !this.imageSize.every((d) => Number.isInteger(d) && d > 0))
      throw new RangeError(`FakeData: imageSize must be [C, H, W] of positive integers, got [${this.imageSize}]`);
    if (this.imageSize[0] !== 1 && this.imageSize[0] !== 3)
      throw new RangeError(`FakeData: not supported: ${this.imageSize[0]} channels (1 or 3 make an image)`);
    if (!Number.isInteger(this.numClasses) || this.numClasses < 1)
      throw new RangeError(`FakeData: numClasses must be a positive integer, got ${this.numClasses}`);
    this.classes = Array.from({ length: this.numClasses }, (_, i) => String(i));
    this.transform = opts.transform;
    this.targetTransform = opts.targetTransform;
  }

  /** The sample at `index` as `[image, label]`: the image uint8 [C, H, W] before `transform`. */
  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.length);
    const generator = new Generator(i + this.randomOffset);
    const noise = randn([...this.imageSize], { generator }).data;
    const label = randint(0, this.numClasses, [1], { generator }).item();
    const pixels = Uint8Array.from(noise, (v) => Math.trunc(Math.fround(v * 255)) & 0xff);
    const image = new Tensor(pixels, [...this.imageSize], 'uint8');
    return [
      this.transform ? this.transform.apply(image) : image,
      this.targetTransform ? this.targetTransform(label) : label,
    ];
  }
}
