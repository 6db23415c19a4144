import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { manualSeed, rand, Tensor, transforms as T } from '../src/index.js';
import { fixtureDir } from './helpers/fixtures.js';

interface Output {
  shape: number[];
  dtype: string;
  values: number[];
}
/** What scripts/make_augment_fixtures.py writes. */
interface Fixture {
  images: Record<string, Output>;
  cases: Record<string, { image: string; outputs: Output[]; after: number } | { image: string; error: string }>;
}
const fixture = JSON.parse(readFileSync(`${fixtureDir}augment.json`, 'utf8')) as Fixture;

function image(name: string): Tensor {
  if (name === 'float') return image('big').to('float32').div(255);
  const { values, shape } = fixture.images[name];
  return new Tensor(Uint8Array.from(values), shape, 'uint8');
}

type Make = () => { apply(x: Tensor): Tensor };
const build: Record<string, Make> = {
  resize_short: () => new T.Resize(7),
  resize_hw: () => new T.Resize([9, 4]),
  resize_up: () => new T.Resize([20, 31]),
  resize_nearest: () => new T.Resize([6, 11], { interpolation: 'nearest' }),
  resize_nearest_up: () => new T.Resize([19, 40], { interpolation: 'nearest' }),
  resize_antialias: () => new T.Resize([5, 6], { antialias: true }),
  resize_antialias_up: () => new T.Resize([20, 23], { antialias: true }),
  resize_float: () => new T.Resize([6, 8]),
  resize_float_antialias: () => new T.Resize(4, { antialias: true }),
  resize_max_size: () => new T.Resize(10, { maxSize: 12 }),
  resize_same: () => new T.Resize(13),
  resize_nearest_antialias: () => new T.Resize(5, { interpolation: 'nearest', antialias: true }),
  random_resized_crop: () => new T.RandomResizedCrop(8),
  random_resized_crop_scale: () => new T.RandomResizedCrop([6, 9], { scale: [0.3, 0.6], ratio: [0.5, 2.0] }),
  random_resized_crop_antialias: () => new T.RandomResizedCrop(5, { antialias: true }),
  random_resized_crop_fallback: () => new T.RandomResizedCrop(4, { scale: [0.95, 1.0], ratio: [5.0, 6.0] }),
  random_resized_crop_nearest: () => new T.RandomResizedCrop(7, { interpolation: 'nearest' }),
  random_erasing: () => new T.RandomErasing({ p: 0.9 }),
  random_erasing_value: () => new T.RandomErasing({ p: 1, scale: [0.1, 0.5], ratio: [0.5, 2], value: 0.25 }),
  random_erasing_rgb: () => new T.RandomErasing({ p: 1, value: [0.1, 0.2, 0.3] }),
  random_erasing_random: () => new T.RandomErasing({ p: 1, value: 'random' }),
  random_erasing_uint8: () => new T.RandomErasing({ p: 1, value: 7 }),
  brightness: () => new T.ColorJitter({ brightness: 0.5 }),
  contrast: () => new T.ColorJitter({ contrast: [0.2, 1.8] }),
  saturation: () => new T.ColorJitter({ saturation: 0.7 }),
  hue: () => new T.ColorJitter({ hue: 0.3 }),
  color_jitter: () => new T.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
  color_jitter_float: () => new T.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.2 }),
  hue_too_big: () => new T.ColorJitter({ hue: 0.7 }),
  rotation: () => new T.RandomRotation(30),
  rotation_bilinear: () => new T.RandomRotation([-45, 10], { interpolation: 'bilinear' }),
  rotation_fill: () => new T.RandomRotation(90, { fill: [0.5, 0.25, 1.0], interpolation: 'bilinear' }),
  rotation_uint8: () => new T.RandomRotation(20, { interpolation: 'bilinear', fill: 9 }),
  rotation_center: () => new T.RandomRotation(15, { center: [2, 3], interpolation: 'bilinear' }),
  rotation_expand: () => new T.RandomRotation(30, { expand: true }),
  affine: () =>
    new T.RandomAffine(20, { translate: [0.1, 0.2], scale: [0.8, 1.2], shear: 10, interpolation: 'bilinear' }),
  affine_shear4: () => new T.RandomAffine(0, { shear: [-5, 5, -10, 10], interpolation: 'bilinear' }),
  affine_nearest_uint8: () => new T.RandomAffine(10, { translate: [0.2, 0.1] }),
  affine_bad_translate: () => new T.RandomAffine(0, { translate: [1.5, 0] }),
  posterize: () => ({ apply: (x: Tensor) => T.posterize(x, 3) }),
  solarize: () => ({ apply: (x: Tensor) => T.solarize(x, 100) }),
  solarize_float: () => ({ apply: (x: Tensor) => T.solarize(x, 0.4) }),
  autocontrast: () => ({ apply: T.autocontrast }),
  autocontrast_float: () => ({ apply: T.autocontrast }),
  equalize: () => ({ apply: T.equalize }),
  equalize_flat: () => ({ apply: T.equalize }),
  sharpness: () => ({ apply: (x: Tensor) => T.adjustSharpness(x, 1.8) }),
  sharpness_float: () => ({ apply: (x: Tensor) => T.adjustSharpness(x, 0.3) }),
  trivial_augment: () => new T.TrivialAugmentWide(),
  trivial_augment_wide_image: () => new T.TrivialAugmentWide(),
  trivial_augment_bins: () =>
    new T.TrivialAugmentWide({ numMagnitudeBins: 7, interpolation: 'bilinear', fill: [10, 20, 30] }),
  random_apply: () => new T.RandomApply([new T.RandomHorizontalFlip(1.0), new T.RandomCrop(4)], 0.6),
};

/** uint8 outputs may differ by one level where float32 rounding lands a value on the other side of .5. */
function compare(name: string, got: Tensor, want: Output, call: number): void {
  assert.deepEqual([...got.shape], want.shape, `${name}: shape of call ${call}`);
  assert.equal(got.dtype, want.dtype, `${name}: dtype of call ${call}`);
  const values = got.toArray();
  const tolerance = want.dtype === 'uint8' ? 1 : 2e-5;
  const bad = values.findIndex((v, i) => !(Math.abs(v - want.values[i]) <= tolerance));
  assert.equal(bad, -1, `${name} call ${call}: element ${bad} is ${values[bad]}, torchvision ${want.values[bad]}`);
  if (want.dtype === 'uint8') {
    const off = values.filter((v, i) => v !== want.values[i]).length;
    assert.ok(
      off <= Math.max(1, values.length / 200),
      `${name} call ${call}: ${off} of ${values.length} levels off by one`,
    );
  }
}

describe("torchvision's resizing, erasing, colour and affine transforms, with torchvision's draws", () => {
  it('every fixture case has a torchlit transform and the other way round', () => {
    assert.deepEqual(Object.keys(build).sort(), Object.keys(fixture.cases).sort());
  });

  for (const [name, expected] of Object.entries(fixture.cases)) {
    const make = build[name];
    it(name, () => {
      if ('error' in expected) {
        assert.throws(() => make().apply(image(expected.image)), { message: expected.error });
        return;
      }
      const t = make();
      manualSeed(5);
      expected.outputs.forEach((want, i) => compare(name, t.apply(image(expected.image)), want, i));
      assert.equal(
        rand([1]).item(),
        Math.fround(expected.after),
        `${name}: the generator ends where torchvision leaves it`,
      );
    });
  }

  it('interpolations beyond nearest and bilinear are refused by name', () => {
    const bicubic = 'bicubic' as T.Interpolation;
    assert.throws(() => new T.Resize(4, { interpolation: bicubic }), /not supported: interpolation bicubic/);
    assert.throws(() => new T.RandomRotation(10, { interpolation: bicubic }), /not supported: interpolation bicubic/);
    assert.throws(() => new T.TrivialAugmentWide({ interpolation: bicubic }), /not supported: interpolation bicubic/);
  });
});

describe("nearest affine sampling where torchvision's rounding and fill decide", () => {
  const ties = JSON.parse(readFileSync(`${fixtureDir}affine_ties.json`, 'utf8')) as {
    zoom: number[];
    rotate: number[];
  };

  it('a point on .5 rounds half to even, as grid_sample (F.affine at scale 0.5)', () => {
    const ramp = new Tensor(
      Float32Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4],
      'float32',
    );
    const m = T.inverseAffineMatrix([0, 0], 0, [0, 0], 0.5, [0, 0]);
    assert.deepEqual(T.affineImage(ramp, m, 'nearest', [0]).toArray(), ties.zoom);
  });

  it('uint8 pixels from outside the image take the fill (F.rotate by 30 degrees, fill 7)', () => {
    const ramp = new Tensor(
      Uint8Array.from({ length: 25 }, (_, i) => i * 9),
      [1, 5, 5],
      'uint8',
    );
    const m = T.inverseAffineMatrix([0, 0], -30, [0, 0], 1, [0, 0]);
    assert.deepEqual(T.affineImage(ramp, m, 'nearest', [7]).toArray(), ties.rotate);
  });
});
