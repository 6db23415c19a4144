import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataLoader, datasets, manualSeed, rand, Tensor, TensorDataset, transforms as T } from '../../src/index.js';
import { fixtureDir } from '../helpers/fixtures.js';

function cifarSized(n: number, transform?: T.Transform): datasets.ImageArrayDataset {
  const pixels = Uint8Array.from({ length: n * 3 * 32 * 32 }, (_, i) => (i * 2654435761) >>> 24);
  return new datasets.ImageArrayDataset(
    'test',
    ['a', 'b', 'c'],
    new Tensor(pixels, [n, 3, 32, 32], 'uint8'),
    new Tensor(
      Float64Array.from({ length: n }, (_, i) => i % 3),
      [n],
      'int64',
    ),
    { transform },
  );
}

const augment = () =>
  new T.Compose([
    new T.RandomCrop(32, { padding: 4 }),
    new T.RandomHorizontalFlip(),
    new T.ToTensor(),
    new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]),
  ]);

/** Every batch of two epochs, and where the global generator ends. */
function run(loader: DataLoader, fromBatch = 0): { batches: number[][]; labels: number[][]; after: number } {
  manualSeed(21);
  const batches: number[][] = [];
  const labels: number[][] = [];
  for (let e = 0; e < 2; e++) {
    for (const [x, y] of loader.iterate(e === 0 ? fromBatch : 0)) {
      batches.push([...x.shape, ...x.toArray()]);
      labels.push(y.toArray());
    }
  }
  return { batches, labels, after: rand([1]).item() };
}

describe('DataLoader numWorkers', () => {
  it('worker threads give the batches, order and generator state of numWorkers: 0', async () => {
    const ds = cifarSized(300, augment());
    const opts = { batchSize: 64, shuffle: true };
    const reference = run(new DataLoader(ds, opts));
    for (const [numWorkers, prefetchFactor] of [
      [1, 2],
      [2, 3],
      [3, 1],
    ]) {
      const loader = new DataLoader(ds, { ...opts, numWorkers, prefetchFactor });
      const got = run(loader);
      assert.equal(got.batches.length, 10);
      assert.deepEqual(got.labels, reference.labels, `${numWorkers} workers: labels`);
      assert.ok(
        got.batches.every(
          (b, i) => b.length === reference.batches[i].length && b.every((v, j) => v === reference.batches[i][j]),
        ),
        `${numWorkers} workers: images`,
      );
      assert.equal(got.after, reference.after);
      await loader.close();
    }
    const dropped = new DataLoader(ds, { ...opts, dropLast: true, numWorkers: 2 });
    assert.deepEqual(run(dropped, 2).labels, run(new DataLoader(ds, { ...opts, dropLast: true }), 2).labels);
    await dropped.close();
  });

  it('uint8 batches without a pointwise tail, and CIFAR files', async () => {
    const cifar = await datasets.CIFAR10({ root: `${fixtureDir}datasets`, transform: new T.RandomCrop(28) });
    const plain = run(new DataLoader(cifar, { batchSize: 4 }));
    const loader = new DataLoader(cifar, { batchSize: 4, numWorkers: 1 });
    const threaded = run(loader);
    assert.deepEqual(threaded, plain);
    assert.equal(threaded.batches[0][1], 3);
    await loader.close();
  });

  it('refuses what workers cannot take, by name', () => {
    const tensors = new TensorDataset(new Tensor(new Float32Array(4), [4], 'float32'));
    assert.throws(() => new DataLoader(tensors, { numWorkers: 1 }), /not supported: numWorkers > 0 with this dataset/);
    const grey = cifarSized(4, new T.Grayscale());
    assert.throws(() => new DataLoader(grey, { numWorkers: 1 }), /not supported: numWorkers > 0 with this dataset/);
    const ds = cifarSized(4);
    assert.throws(
      () => new DataLoader(ds, { numWorkers: 1, collateFn: (s) => s }),
      /not supported: numWorkers > 0 with a collateFn/,
    );
    assert.throws(() => new DataLoader(ds, { numWorkers: -1 }), /num_workers option should be non-negative/);
    assert.throws(
      () => new DataLoader(ds, { prefetchFactor: 2 }),
      /prefetch_factor option could only be specified in multiprocessing/,
    );
    assert.throws(
      () => new DataLoader(ds, { persistentWorkers: true }),
      /persistent_workers option needs num_workers > 0/,
    );
    assert.throws(() => new DataLoader(ds, { pinMemory: true } as object), /pinMemory/);
  });
});
