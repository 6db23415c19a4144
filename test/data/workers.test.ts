import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import {
  DataLoader,
  datasets,
  manualSeed,
  rand,
  Subset,
  Tensor,
  TensorDataset,
  transforms as T,
} from '../../src/index.js';
import { tempDir } from '../helpers/data.js';
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

  it('any torchlit transform runs in the workers, drawing exactly as one thread does', async () => {
    const heavy = new T.Compose([
      new T.RandomRotation(15, { interpolation: 'bilinear' }),
      new T.ColorJitter({ brightness: 0.3, hue: 0.1 }),
      new T.RandomResizedCrop(24),
      new T.ToTensor(),
      new T.RandomErasing({ p: 0.5, value: 'random' }),
      new T.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]),
    ]);
    const ds = cifarSized(40, heavy);
    const opts = { batchSize: 8, shuffle: true };
    const reference = run(new DataLoader(ds, opts));
    for (const numWorkers of [1, 2]) {
      const loader = new DataLoader(ds, { ...opts, numWorkers });
      assert.deepEqual(run(loader), reference, `${numWorkers} workers`);
      await loader.close();
    }
    // A new transform on the same loader reaches the workers.
    const loader = new DataLoader(ds, { ...opts, numWorkers: 1 });
    run(loader);
    ds.transform = new T.Compose([new T.Grayscale(), new T.ToTensor()]);
    assert.deepEqual(run(loader), run(new DataLoader(ds, opts)), 'after the transform changed');
    await loader.close();
    const part = new Subset(
      cifarSized(40, new T.Compose([new T.RandomHorizontalFlip(), new T.ToTensor()])),
      [5, 1, 30, 2, 9],
    );
    const sub = new DataLoader(part, { batchSize: 2, numWorkers: 2 });
    assert.deepEqual(run(sub), run(new DataLoader(part, { batchSize: 2 })));
    await sub.close();
  });

  it('an ImageFolder is read and augmented in the workers; an epoch left early does not spoil the next', async () => {
    const root = join(tempDir(), 'folder');
    for (const cls of ['a', 'b']) {
      mkdirSync(join(root, cls), { recursive: true });
      for (let i = 0; i < 6; i++) {
        const png = new PNG({ width: 9 + i, height: 7 });
        for (let p = 0; p < png.width * 7; p++)
          png.data.set([(p * 37 + i) % 256, cls === 'a' ? 40 : 200, p % 256, 255], p * 4);
        writeFileSync(join(root, cls, `${i}.png`), PNG.sync.write(png));
      }
    }
    const transform = new T.Compose([
      new T.Resize([8, 8]),
      new T.RandomResizedCrop(6),
      new T.RandomHorizontalFlip(),
      new T.ToTensor(),
    ]);
    const folder = new datasets.ImageFolder(root, { transform });
    const reference = run(new DataLoader(folder, { batchSize: 5, shuffle: true }));
    const loader = new DataLoader(folder, { batchSize: 5, shuffle: true, numWorkers: 2 });
    for (const _ of loader) break;
    assert.deepEqual(run(loader), reference);
    writeFileSync(join(root, 'b', '3.png'), 'not a png');
    assert.throws(() => [...loader], /DataLoader worker \d failed on batch \d+: .*b\/3\.png: not a PNG or JPEG file/);
    await loader.close();
  });

  it('refuses what workers cannot take, by name', () => {
    const tensors = new TensorDataset(new Tensor(new Float32Array(4), [4], 'float32'));
    assert.throws(() => new DataLoader(tensors, { numWorkers: 1 }), /not supported: numWorkers > 0 with this dataset/);
    const lambda = cifarSized(4, new T.Compose([new T.ToTensor(), new T.Lambda((x: Tensor) => x)]));
    assert.throws(
      () => new DataLoader(lambda, { numWorkers: 1 }),
      /not supported: numWorkers > 0 with a function in the transform\.transforms\[1\]\.fn \(a Lambda\?\)/,
    );
    class Custom {
      readonly pointwise = false;
      apply(x: Tensor): Tensor {
        return x;
      }
    }
    assert.throws(
      () => new DataLoader(cifarSized(4, new Custom()), { numWorkers: 1 }),
      /not supported: numWorkers > 0 with Custom in the transform; workers rebuild torchlit's own transforms only/,
    );
    const labelled = cifarSized(4);
    labelled.targetTransform = (y) => y + 1;
    assert.throws(() => new DataLoader(labelled, { numWorkers: 1 }), /with this dataset \(a targetTransform\)/);
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
