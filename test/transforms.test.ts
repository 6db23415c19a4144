import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DataLoader, datasets, manualSeed, rand, Tensor, transforms as T } from '../src/index.js';
import { writeIdxDataset } from './helpers/data.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_transform_fixtures.py writes. */
interface Fixture {
  image: { shape: number[]; values: number[] };
  cases: Record<
    string,
    { outputs: { shape: number[]; dtype: string; values: number[] }[]; after: number } | { error: string }
  >;
}
const fixture = JSON.parse(readFileSync(`${fixtureDir}transforms.json`, 'utf8')) as Fixture;
const image = () => new Tensor(Uint8Array.from(fixture.image.values), fixture.image.shape, 'uint8');

const build: Record<string, () => { apply(x: Tensor): Tensor }> = {
  hflip: () => new T.RandomHorizontalFlip(),
  hflip_p: () => new T.RandomHorizontalFlip(0.8),
  vflip: () => new T.RandomVerticalFlip(),
  center_crop: () => new T.CenterCrop(3),
  center_crop_rect: () => new T.CenterCrop([2, 5]),
  center_crop_pads: () => new T.CenterCrop([7, 9]),
  pad: () => new T.Pad(2, 7),
  pad_2: () => new T.Pad([1, 2]),
  pad_4_edge: () => new T.Pad([1, 0, 2, 3], 0, 'edge'),
  pad_reflect: () => new T.Pad(2, 0, 'reflect'),
  random_crop: () => new T.RandomCrop(3),
  random_crop_rect: () => new T.RandomCrop([4, 2]),
  random_crop_padding: () => new T.RandomCrop(5, { padding: 2 }),
  random_crop_padding_reflect: () => new T.RandomCrop([6, 4], { padding: [1, 2], paddingMode: 'reflect' }),
  random_crop_pad_if_needed: () => new T.RandomCrop([7, 8], { padIfNeeded: true, fill: 3 }),
  random_crop_whole: () => new T.RandomCrop([5, 6]),
  random_crop_too_big: () => new T.RandomCrop(7),
  compose: () => new T.Compose([new T.RandomCrop(4, { padding: 1 }), new T.RandomHorizontalFlip()]),
  float_image: () => new T.Compose([new T.ToTensor(), new T.RandomCrop(3)]),
  grayscale: () => new T.Grayscale(),
  grayscale_3: () => new T.Grayscale(3),
  grayscale_float: () => new T.Compose([new T.ConvertImageDtype('float32'), new T.Grayscale()]),
  convert_to_float: () => new T.ConvertImageDtype('float32'),
  convert_to_double: () => new T.ConvertImageDtype('float64'),
  convert_round_trip: () => new T.Compose([new T.ConvertImageDtype('float32'), new T.ConvertImageDtype('uint8')]),
  grayscale_one_channel: () => ({ apply: (x: Tensor) => new T.Grayscale().apply(x.narrow(0, 0, 1)) }),
};

describe("torchvision's flips, crops and padding, with torchvision's draws", () => {
  it('every fixture case has a torchlit transform and the other way round', () => {
    assert.deepEqual(Object.keys(build).sort(), Object.keys(fixture.cases).sort());
  });

  for (const [name, expected] of Object.entries(fixture.cases)) {
    it(name, () => {
      const t = build[name]();
      manualSeed(5);
      if ('error' in expected) {
        assert.throws(() => t.apply(image()), new RegExp(expected.error.replace(/[().]/g, '\\$&')));
        return;
      }
      expected.outputs.forEach((e, i) => {
        const out = t.apply(image());
        assert.deepEqual([...out.shape], e.shape, `shape of call ${i}`);
        assert.equal(out.dtype, e.dtype, `dtype of call ${i}`);
        assertClose(out.toArray(), e.values, 1e-6, 1e-7, `call ${i}`);
      });
      assert.equal(rand([1]).item(), Math.fround(expected.after), 'the generator ends where torchvision leaves it');
    });
  }

  it('a dataset with a random transform is batched through get(), each sample transformed', async () => {
    const root = writeIdxDataset(20, 10);
    const crop = new T.Compose([new T.RandomCrop(28, { padding: 4 }), new T.ToTensor()]);
    const ds = await datasets.MNIST({ root, train: true, transform: crop });
    assert.equal(ds.batchable, false);
    manualSeed(3);
    const [x, y] = [...new DataLoader(ds, { batchSize: 8 })][0];
    assert.deepEqual([...x.shape], [8, 1, 28, 28]);
    assert.equal(y.dtype, 'int64');
    manualSeed(3);
    rand([1]);
    rand([1]);
    const first = ds.get(0)[0];
    assert.deepEqual(x.narrow(0, 0, 1).reshape(1, 28, 28).toArray(), first.toArray(), 'the loader drew as get() draws');
    const plain = await datasets.MNIST({ root, train: true, transform: new T.ToTensor() });
    assert.equal(plain.batchable, true);
  });

  it('symmetric padding is refused by name', () => {
    assert.throws(() => new T.Pad(1, 0, 'symmetric').apply(image()), /not supported: padding_mode symmetric/);
  });
});
