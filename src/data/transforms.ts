/**
 * Image transforms, applied by datasets to each sample: `ToTensor`, `Normalize`, `Compose`, `Lambda`,
 * flips, crops and padding, `Resize`, `RandomResizedCrop`, `RandomErasing`, `ColorJitter`,
 * `RandomRotation`, `RandomAffine`, `RandomApply`, `RandomChoice`, `TrivialAugmentWide`,
 * `Grayscale`, `ConvertImageDtype`, and the colour functions they use.
 * @pytorch `torchvision.transforms`
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { backend } from '../backend/index.js';
import type { Transform } from './transform.js';

export type { Transform } from './transform.js';

/** uint8 [H, W] or [C, H, W] → float32 [C, H, W] in [0, 1], as torchvision's ToTensor. */
export class ToTensor implements Transform {
  readonly pointwise = true;

  /**
   * uint8 [H, W] or [C, H, W] to float32 [C, H, W] in [0, 1].
   * @pytorch `torchvision.transforms.ToTensor.__call__`
   */
  apply(img: Tensor): Tensor {
    const shaped = img.ndim === 2 ? img.reshape(1, ...img.shape) : img;
    if (shaped.dtype !== 'uint8') return shaped.float();
    const out = Tensor.empty(shaped.shape, 'float32');
    backend().binary('div', shaped.values(), shaped.shape, Float32Array.of(255), [], out.data, out.shape);
    return out;
  }
}

/** (x - mean[c]) / std[c] per channel. */
export class Normalize implements Transform {
  readonly pointwise = true;
  private readonly mean: Tensor;
  private readonly std: Tensor;

  constructor(mean: number | number[], std: number | number[]) {
    const m = typeof mean === 'number' ? [mean] : mean;
    const s = typeof std === 'number' ? [std] : std;
    if (m.length !== s.length) throw new RangeError(`Normalize: ${m.length} means but ${s.length} stds`);
    if (s.some((v) => v === 0)) throw new RangeError('Normalize: std evaluated to zero, leading to division by zero');
    this.mean = new Tensor(Float32Array.from(m), [m.length, 1, 1], 'float32');
    this.std = new Tensor(Float32Array.from(s), [s.length, 1, 1], 'float32');
  }

  /**
   * (x - mean[c]) / std[c] for each channel c.
   * @pytorch `torchvision.transforms.Normalize.forward`
   */
  apply(x: Tensor): Tensor {
    if (x.ndim < 3)
      throw new RangeError(
        `Normalize expects a [C, H, W] float tensor, got shape [${x.shape.join(', ')}]; apply ToTensor first`,
      );
    const c = x.shape[x.ndim - 3];
    if (this.mean.shape[0] !== 1 && this.mean.shape[0] !== c) {
      throw new RangeError(`Normalize has ${this.mean.shape[0]} channel statistics but the image has ${c} channels`);
    }
    return x.sub(this.mean).div(this.std);
  }
}

/** Applies `transforms` in order, as torchvision's Compose. */
export class Compose implements Transform {
  readonly pointwise: boolean;

  constructor(readonly transforms: Transform[]) {
    this.pointwise = transforms.every((t) => t.pointwise);
  }

  /**
   * Each transform in turn.
   * @pytorch `torchvision.transforms.Compose.__call__`
   */
  apply(x: Tensor): Tensor {
    return this.transforms.reduce((v, t) => t.apply(v), x);
  }
}

/** Wraps any function; it is not assumed pointwise. */
export class Lambda<I = Tensor, O = Tensor> implements Transform<I, O> {
  readonly pointwise = false;

  constructor(private readonly fn: (x: I) => O) {}

  /**
   * The wrapped function of `x`.
   * @pytorch `torchvision.transforms.Lambda.__call__`
   */
  apply(x: I): O {
    return this.fn(x);
  }
}

/**
 * The value a pointwise transform gives each uint8 level of each of `channels` channels, so a
 * loader can apply it by lookup: `channels` tables of 256 entries, end to end.
 */
export function lookupTable(t: Transform, channels = 1): Float32Array {
  const levels = new Tensor(
    Uint8Array.from({ length: 256 * channels }, (_, i) => i % 256),
    [channels, 1, 256],
    'uint8',
  );
  const out = t.apply(levels);
  if (!(out instanceof Tensor) || out.numel() !== 256 * channels) throw new Error('transform is not pointwise');
  return Float32Array.from(out.values());
}

export {
  RandomHorizontalFlip,
  RandomVerticalFlip,
  RandomCrop,
  CenterCrop,
  Pad,
  Grayscale,
  ConvertImageDtype,
  type RandomCropOptions,
  type Padding,
  type PaddingMode,
  type Size2,
} from './image_transforms.js';
export type { AxisMaps, GeometricTransform } from './index_maps.js';
export {
  Resize,
  RandomResizedCrop,
  resizeImage,
  type Interpolation,
  type ResizeOptions,
  type RandomResizedCropOptions,
} from './resize.js';
export { RandomErasing, RandomApply, RandomChoice, type RandomErasingOptions } from './random_transforms.js';
export {
  ColorJitter,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  adjustHue,
  rgbToGrayscale,
  type ColorJitterOptions,
  type JitterRange,
} from './color.js';
export {
  RandomRotation,
  RandomAffine,
  affineImage,
  inverseAffineMatrix,
  type AffineInterpolation,
  type RandomRotationOptions,
  type RandomAffineOptions,
} from './affine.js';
export {
  TrivialAugmentWide,
  posterize,
  solarize,
  autocontrast,
  equalize,
  adjustSharpness,
  type TrivialAugmentWideOptions,
} from './auto_augment.js';
