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
  pad_symmetric: () => new T.Pad([1, 2, 3, 0], 0, 'symmetric'),
  random_crop_symmetric: () => new T.RandomCrop(6, { padding: 3, paddingMode: 'symmetric' }),
  pad_reflect_too_big: () => new T.Pad(5, 0, 'reflect'),
  hflip_float: () =>
    new T.Compose([new T.ConvertImageDtype('float32'), new T.RandomHorizontalFlip(), new T.Pad(1, 0.5)]),
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

  it('a dataset batches flips, crops and padding in one pass, equal to get() and drawing as it does', async () => {
    const root = writeIdxDataset(20, 10);
    const mnist = await datasets.MNIST({ root, train: true });
    const cifar = await datasets.CIFAR10({ root: `${fixtureDir}datasets` });
    const pipelines: [string, () => T.Transform, number[]][] = [
      [
        'crop+flip+normalize',
        () =>
          new T.Compose([
            new T.RandomCrop(28, { padding: 4 }),
            new T.RandomHorizontalFlip(),
            new T.ToTensor(),
            new T.Normalize(0.5, 0.25),
          ]),
        [1, 28, 28],
      ],
      [
        'reflect pad, centre crop, vertical flip, uint8',
        () =>
          new T.Compose([new T.Pad([3, 1], 0, 'reflect'), new T.CenterCrop([25, 30]), new T.RandomVerticalFlip(0.7)]),
        [1, 25, 30],
      ],
      [
        'padIfNeeded with a fill',
        () => new T.Compose([new T.RandomCrop([30, 29], { padIfNeeded: true, fill: 200 }), new T.ToTensor()]),
        [1, 30, 29],
      ],
    ];
    for (const [name, make, shape] of pipelines) {
      for (const ds of [mnist, cifar]) {
        ds.transform = make();
        assert.equal(ds.batchable, true, name);
        const indices = [3, 0, 7, 7, 9];
        manualSeed(11);
        const [x, y] = ds.batch(indices);
        const after = rand([1]).item();
        manualSeed(11);
        const one = indices.map((i) => ds.get(i));
        assert.equal(rand([1]).item(), after, `${name}: the batch drew what get() draws`);
        const c = ds === mnist ? 1 : 3;
        assert.deepEqual([...x.shape], [5, c, ...shape.slice(1)], name);
        indices.forEach((_, b) => {
          assert.equal(x.dtype, one[b][0].dtype, name);
          assert.deepEqual(x.select(b).toArray(), one[b][0].toArray(), `${name}, sample ${b}`);
          assert.equal(y.data[b], one[b][1]);
        });
      }
    }
    mnist.transform = new T.Compose([new T.RandomCrop(28, { padding: 4 }), new T.ToTensor()]);
    manualSeed(3);
    const [x] = [...new DataLoader(mnist, { batchSize: 8 })][0];
    manualSeed(3);
    rand([1]);
    rand([1]);
    assert.deepEqual(
      x.narrow(0, 0, 1).reshape(1, 28, 28).toArray(),
      mnist.get(0)[0].toArray(),
      'the loader drew as get() draws',
    );
  });

  it('pipelines one pass cannot do are gathered through get()', async () => {
    const ds = await datasets.MNIST({ root: writeIdxDataset(20, 10), train: true });
    for (const t of [
      new T.Compose([new T.ToTensor(), new T.RandomHorizontalFlip()]),
      new T.Compose([new T.Pad(1, 3), new T.RandomCrop(28, { padding: 2, fill: 4 })]),
      new T.Grayscale(3),
      new T.Compose([new T.RandomCrop(20), new T.ConvertImageDtype('float64')]),
    ]) {
      ds.transform = t;
      assert.equal(ds.batchable, false);
      const [x] = [...new DataLoader(ds, { batchSize: 4 })][0];
      assert.equal(x.shape[0], 4);
    }
  });

  it('padding arguments are checked when the transform is made', () => {
    assert.throws(
      () => new T.Pad(1, 0, 'wrap' as 'edge'),
      /Padding mode should be either constant, edge, reflect or symmetric/,
    );
    assert.throws(
      () => new T.Pad([1, 2, 3] as unknown as T.Padding),
      /Padding must be an int or a 1, 2, or 4 element tuple/,
    );
    assert.throws(
      () => new T.RandomCrop(3, { pad: 1 } as T.RandomCropOptions),
      /RandomCrop: not supported: option pad/,
    );
  });
});
