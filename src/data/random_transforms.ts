// torchvision's RandomErasing, RandomApply and RandomChoice.
import { randn } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { drawInt, drawUniform } from './random_draws.js';
import type { Transform } from './transform.js';
import { roundHalfEven } from './round_half_even.js';

const f = Math.fround;

/**
 * RandomErasing's keyword arguments: `p` (0.5), `scale` ([0.02, 0.33]), `ratio` ([0.3, 3.3]),
 * `value` (0; one per channel; or 'random' for normal noise).
 * @pytorch `torchvision.transforms.RandomErasing`
 */
export interface RandomErasingOptions {
  p?: number;
  scale?: readonly [number, number];
  ratio?: readonly [number, number];
  value?: number | readonly number[] | 'random';
  /** Erase in the input tensor; not supported (torchlit returns a new tensor). */
  inplace?: false;
}

/**
 * Erases a random rectangle of a [..., C, H, W] tensor with probability p: up to ten draws of area
 * and log aspect ratio, then the offsets, as torchvision draws them (the image unchanged when none fits).
 * @pytorch `torchvision.transforms.RandomErasing`
 */
export class RandomErasing implements Transform {
  readonly pointwise = false;
  readonly p: number;
  readonly scale: readonly [number, number];
  readonly ratio: readonly [number, number];
  readonly value: number | readonly number[] | 'random';

  constructor(opts: RandomErasingOptions = {}) {
    if (opts.inplace) throw new RangeError('RandomErasing: not supported: inplace');
    this.p = opts.p ?? 0.5;
    this.scale = opts.scale ?? [0.02, 0.33];
    this.ratio = opts.ratio ?? [0.3, 3.3];
    this.value = opts.value ?? 0;
    if (typeof this.value === 'string' && this.value !== 'random')
      throw new RangeError("If value is str, it should be 'random'");
    if (this.scale[0] < 0 || this.scale[1] > 1) throw new RangeError('Scale should be between 0 and 1');
    if (this.p < 0 || this.p > 1) throw new RangeError('Random erasing probability should be between 0 and 1');
  }

  /** The image with a rectangle erased, or the image itself. */
  apply(img: Tensor): Tensor {
    if (!(drawUniform() < this.p)) return img;
    if (img.ndim < 3) throw new RangeError(`RandomErasing expects a [..., C, H, W] tensor, got ${img.ndim} dims`);
    const [c, h, w] = img.shape.slice(-3);
    const values = typeof this.value === 'number' ? [this.value] : this.value === 'random' ? null : [...this.value];
    if (values && values.length !== 1 && values.length !== c)
      throw new RangeError(
        `If value is a sequence, it should have either a single value or ${c} (number of input channels)`,
      );
    const area = h * w;
    const [l0, l1] = [f(Math.log(f(this.ratio[0]))), f(Math.log(f(this.ratio[1])))];
    for (let attempt = 0; attempt < 10; attempt++) {
      const eraseArea = area * drawUniform(this.scale[0], this.scale[1]);
      const aspect = f(Math.exp(drawUniform(l0, l1)));
      const eh = roundHalfEven(Math.sqrt(eraseArea * aspect));
      const ew = roundHalfEven(Math.sqrt(eraseArea / aspect));
      if (!(eh < h && ew < w)) continue;
      const noise = values ? null : randn([c, eh, ew]).values();
      const top = drawInt(h - eh + 1);
      const left = drawInt(w - ew + 1);
      return erase(img, top, left, eh, ew, (ch, y, x) =>
        noise ? noise[(ch * eh + y) * ew + x] : values!.length === 1 ? f(values![0]) : f(values![ch]),
      );
    }
    return img;
  }
}

/** A copy of `img` with [top, top + h) x [left, left + w) of every channel set from `value` (cast as torch casts float to uint8). */
function erase(
  img: Tensor,
  top: number,
  left: number,
  h: number,
  w: number,
  value: (channel: number, y: number, x: number) => number,
): Tensor {
  const [c, ih, iw] = img.shape.slice(-3);
  const out = new Tensor(img.values().slice(), img.shape, img.dtype);
  const cast = img.dtype === 'uint8' ? (v: number) => Math.trunc(v) & 0xff : (v: number) => v;
  const planes = img.numel() / (ih * iw);
  for (let p = 0; p < planes; p++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out.data[(p * ih + top + y) * iw + left + x] = cast(value(p % c, y, x));
  return out;
}

/**
 * Applies the transforms in turn with probability p (one torch.rand draw).
 * @pytorch `torchvision.transforms.RandomApply`
 */
export class RandomApply implements Transform {
  readonly pointwise = false;

  constructor(
    readonly transforms: Transform[],
    readonly p = 0.5,
  ) {}

  /** The transformed image, or the image itself. */
  apply(img: Tensor): Tensor {
    if (this.p < drawUniform()) return img;
    return this.transforms.reduce((x, t) => t.apply(x), img);
  }
}

/**
 * Applies one of the transforms, picked with the weights `p` (default equal). torchvision picks
 * with Python's `random`, which torchlit cannot reproduce: the pick is one draw of torchlit's
 * generator, the same every run for a seed.
 * @pytorch `torchvision.transforms.RandomChoice`
 */
export class RandomChoice implements Transform {
  readonly pointwise = false;
  private readonly cumulative: number[];

  constructor(
    readonly transforms: Transform[],
    readonly p?: readonly number[],
  ) {
    if (transforms.length === 0) throw new RangeError('RandomChoice needs at least one transform');
    if (p && p.length !== transforms.length)
      throw new RangeError(
        "Length of p doesn't match the number of transforms: " + `${p.length} != ${transforms.length}`,
      );
    const weights = p ?? transforms.map(() => 1);
    if (weights.some((v) => !(v >= 0)) || weights.every((v) => v === 0))
      throw new RangeError('RandomChoice: weights must be non-negative and not all zero');
    let total = 0;
    this.cumulative = weights.map((v) => (total += v));
  }

  /** The image through the picked transform. */
  apply(img: Tensor): Tensor {
    const total = this.cumulative[this.cumulative.length - 1];
    const u = drawUniform() * total;
    const k = this.cumulative.findIndex((c) => u < c);
    return this.transforms[k < 0 ? this.transforms.length - 1 : k].apply(img);
  }
}
