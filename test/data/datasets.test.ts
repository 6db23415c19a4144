import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DataLoader,
  datasets,
  Generator,
  manualSeed,
  randomSplit,
  Subset,
  TensorDataset,
  arange,
  transforms,
  type Dataset,
  type Tensor,
} from '../../src/index.js';
import { FASHION_SKIP, fashionDir } from '../helpers/data.js';

const normalize = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
const mnistTrain = await datasets.MNIST({ train: true, transform: normalize });
const mnistTest = await datasets.MNIST({ train: false });
const fashion = fashionDir();
const fashionTrainSet = fashion === null ? null : await datasets.FashionMNIST({ root: fashion, train: true });
const fashionTestSet = fashion === null ? null : await datasets.FashionMNIST({ root: fashion, train: false });

/** The same samples without the batch fast path, so the DataLoader collates `get()` results. */
class PlainDataset implements Dataset<[Tensor, number]> {
  constructor(private readonly inner: Dataset<[Tensor, number]>) {}
  get length() {
    return this.inner.length;
  }
  get(i: number) {
    return this.inner.get(i);
  }
}

describe('MNIST and Fashion-MNIST', () => {
  it('MNIST has 60000/10000 samples and the official class balance', () => {
    assert.equal(mnistTrain.length, 60000);
    assert.equal(mnistTest.length, 10000);
    assert.deepEqual(
      mnistTrain.targets.bincount().toArray(),
      [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    );
    assert.equal(mnistTrain.classes[7], '7 - seven');
  });

  it(
    'Fashion-MNIST has 60000/10000 samples, 6000 of each class, and the known first image',
    { skip: FASHION_SKIP },
    () => {
      const [fashionTrain, fashionTest] = [fashionTrainSet!, fashionTestSet!];
      assert.equal(fashionTrain.length, 60000);
      assert.equal(fashionTest.length, 10000);
      assert.deepEqual(fashionTrain.targets.bincount().toArray(), new Array(10).fill(6000));
      assert.deepEqual(fashionTrain.classes, [
        'T-shirt/top',
        'Trouser',
        'Pullover',
        'Dress',
        'Coat',
        'Sandal',
        'Shirt',
        'Sneaker',
        'Bag',
        'Ankle boot',
      ]);
      const [image, label] = fashionTrain.get(0);
      assert.equal(label, 9);
      assert.deepEqual(image.shape, [1, 28, 28]);
      assert.equal(image.dtype, 'uint8');
      assert.equal(
        image.select(0).select(3).toArray().join(','),
        '0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,13,73,0,0,1,4,0,0,0,0,1,1,0',
      );
      assert.equal(fashionTrain.data.dtype, 'uint8');
      assert.deepEqual(fashionTrain.data.shape, [60000, 28, 28]);
    },
  );

  it('transforms give float [1, 28, 28] images: ToTensor scales to [0, 1], Normalize shifts and scales', () => {
    const raw = mnistTest.get(0)[0];
    const t = new transforms.ToTensor().apply(raw);
    assert.equal(t.dtype, 'float32');
    assert.equal(t.max().item(), 1);
    assert.equal(t.min().item(), 0);
    const [x] = mnistTrain.get(0);
    const expected = (mnistTrain.data.select(0).select(14).toArray()[14] / 255 - 0.1307) / 0.3081;
    assert.ok(Math.abs(x.select(0).select(14).toArray()[14] - expected) < 1e-6);
    const lambda = new transforms.Lambda((v: Tensor) => v.float().mul(2));
    assert.equal(lambda.apply(raw).max().item(), 510);
    assert.throws(() => new transforms.Normalize([0.5], [0]), /std evaluated to zero/);
  });

  it('get() rejects indices out of range', () => {
    assert.throws(() => mnistTest.get(10000), /index 10000 is out of range for a dataset of 10000 samples/);
  });
});

describe('DataLoader', () => {
  it('yields [B, 1, 28, 28] float images and int64 labels; length counts batches', () => {
    const loader = new DataLoader(mnistTrain, { batchSize: 64 });
    assert.equal(loader.length, 938);
    let batches = 0;
    let last: Tensor | undefined;
    for (const [x, y] of loader) {
      if (batches === 0) {
        assert.deepEqual(x.shape, [64, 1, 28, 28]);
        assert.deepEqual(y.shape, [64]);
        assert.equal(y.dtype, 'int64');
        assert.equal(x.dtype, 'float32');
      }
      last = x;
      batches++;
    }
    assert.equal(batches, 938);
    assert.equal(last!.shape[0], 60000 % 64);
    assert.equal(new DataLoader(mnistTrain, { batchSize: 64, dropLast: true }).length, 937);
  });

  it('the fused batch path gives exactly the numbers of get() + collate', () => {
    const fast = new DataLoader(mnistTrain, { batchSize: 100, shuffle: true, generator: new Generator(5) });
    const slow = new DataLoader(new PlainDataset(mnistTrain), {
      batchSize: 100,
      shuffle: true,
      generator: new Generator(5),
    });
    const [[xf, yf]] = fast;
    const [[xs, ys]] = slow;
    assert.deepEqual(xf.toArray(), xs.toArray());
    assert.deepEqual(yf.toArray(), ys.toArray());
  });

  it('the same seed gives the same batches, a different seed different ones', () => {
    const firstLabels = (seed: number) => {
      manualSeed(seed);
      const [[, y]] = new DataLoader(mnistTrain, { batchSize: 64, shuffle: true });
      return y.toArray();
    };
    assert.deepEqual(firstLabels(1), firstLabels(1));
    assert.notDeepEqual(firstLabels(1), firstLabels(2));
    // torch.manual_seed(1); next(iter(DataLoader(mnist_train, batch_size=64, shuffle=True)))[1][:8]
    assert.deepEqual(firstLabels(1).slice(0, 8), [4, 8, 8, 6, 7, 1, 0, 7]);
  });

  it('each epoch reshuffles', () => {
    const loader = new DataLoader(mnistTest, { batchSize: 10, shuffle: true, generator: new Generator(3) });
    const [[, a]] = loader;
    const [[, b]] = loader;
    assert.notDeepEqual(a.toArray(), b.toArray());
  });

  it('collates tuples of tensors from any dataset', () => {
    const ds = new TensorDataset(arange(10).float().view(5, 2), arange(5));
    const batches = [...new DataLoader(ds, { batchSize: 2 })];
    assert.equal(batches.length, 3);
    assert.deepEqual(batches[0][0].tolist(), [
      [0, 1],
      [2, 3],
    ]);
    assert.deepEqual(batches[2][1].toArray(), [4]);
    assert.throws(() => new DataLoader(ds, { batchSize: 0 }), /batchSize should be a positive integer/);
  });
});

describe('splits', () => {
  const range = { length: 10, get: (i: number) => i };

  it('randomSplit gives PyTorch subsets for the same seed', () => {
    manualSeed(1);
    const [a, b] = randomSplit(range, [7, 3]);
    assert.deepEqual(a.indices, [5, 6, 1, 2, 0, 8, 9]);
    assert.deepEqual(b.indices, [3, 7, 4]);
    const [c, d] = randomSplit(range, [0.75, 0.25]);
    assert.deepEqual(c.indices, [2, 3, 1, 8, 9, 0, 6, 7]);
    assert.deepEqual(d.indices, [4, 5]);
  });

  it('splits MNIST into 55000 and 5000 disjoint samples that still batch quickly', () => {
    const [train, val] = randomSplit(mnistTrain, [55000, 5000], new Generator(42));
    assert.equal(train.length, 55000);
    assert.equal(val.length, 5000);
    const seen = new Set(train.indices);
    assert.ok(val.indices.every((i) => !seen.has(i)));
    const [[x, y]] = new DataLoader(val, { batchSize: 8 });
    assert.deepEqual(
      x.toArray(),
      mnistTrain
        .get(val.indices[0])[0]
        .toArray()
        .concat(...val.indices.slice(1, 8).map((i) => mnistTrain.get(i)[0].toArray())),
    );
    assert.equal(y.toArray()[0], mnistTrain.targets.toArray()[val.indices[0]]);
    const [p, q] = randomSplit(mnistTrain, [0.9, 0.1], new Generator(42));
    assert.deepEqual([p.length, q.length], [54000, 6000]);
  });

  it('rejects lengths that do not add up', () => {
    assert.throws(
      () => randomSplit(range, [5, 6]),
      /Sum of input lengths \(11\) does not equal the length of the input dataset \(10\)/,
    );
  });

  it('Subset reads through to its dataset', () => {
    const s = new Subset(range, [3, 1]);
    assert.equal(s.get(1), 1);
    assert.throws(() => new Subset(range, [10]), /out of range/);
  });
});
