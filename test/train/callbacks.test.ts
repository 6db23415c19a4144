import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  BestCheckpoint,
  DataLoader,
  EarlyStopping,
  evaluate,
  F,
  fit,
  io,
  manualSeed,
  models,
  nn,
  noGrad,
  optim,
  randint,
  randn,
  tensor,
  TensorDataset,
  type EvalResult,
  type Loader,
} from '../../src/index.js';
import { tempDir } from '../helpers/data.js';

const result = (loss: number, accuracy: number): EvalResult => ({
  modelName: 'M',
  loss,
  accuracy,
  correct: 0,
  total: 1,
  confusion: [],
});

function loaders() {
  manualSeed(3);
  const x = randn([96, 1, 28, 28]);
  const y = randint(0, 10, [96]);
  // Random images and labels: a loader of [Tensor, Tensor] batches, as fit iterates them.
  const loader = (n: number, batchSize: number, shuffle: boolean) =>
    new DataLoader(new TensorDataset(x.slice(0, n), y.slice(0, n)), { batchSize, shuffle }) as unknown as Loader;
  return { trainLoader: loader(96, 16, true), testLoader: loader(32, 32, false) };
}

describe('training callbacks', () => {
  it('EarlyStopping stops after patience epochs without improvement, counting from epoch 1', () => {
    const stop = new EarlyStopping({ patience: 2 });
    stop.onTest(0, result(0.1, 0));
    [1, 0.9, 0.95, 0.96].forEach((loss, i) => stop.onTest(i + 1, result(loss, 0)));
    assert.equal(stop.stopTraining, false);
    stop.onTest(5, result(0.97, 0));
    assert.equal(stop.stopTraining, true);
    assert.equal(stop.stoppedEpoch, 5);
    const byAccuracy = new EarlyStopping({ monitor: 'accuracy', patience: 0, minDelta: 1 });
    byAccuracy.onTest(1, result(1, 50));
    byAccuracy.onTest(2, result(1, 50.5));
    assert.equal(byAccuracy.stopTraining, true, 'an improvement under minDelta does not count');
    assert.throws(() => new EarlyStopping({ monitor: 'f1' as never }), /monitor must be 'loss' or 'accuracy'/);
    assert.throws(() => new EarlyStopping({ patience: -1 }), /patience must be an integer >= 0/);
    assert.throws(() => new EarlyStopping({ mode: 'max' } as never), /EarlyStopping: unknown option 'mode'/);
    const restored = new EarlyStopping();
    restored.loadStateDict(stop.stateDict());
    assert.equal(restored.stoppedEpoch, 5);
    assert.throws(
      () => restored.loadStateDict({ best: 1, bestEpoch: 2 }),
      /EarlyStopping.loadStateDict: wait is undefined, not a count/,
    );
    assert.throws(
      () => restored.loadStateDict({ best: 'x', bestEpoch: 2, wait: 0, stoppedEpoch: 0 }),
      /best is "x", not a number or null/,
    );
  });

  it('fit trains no epoch past the stop, and a resumed run stops where the straight one did', () => {
    const run = (dir: string, resume: boolean, killAt?: number) => {
      manualSeed(1);
      const model = new models.MLP();
      const stop = new EarlyStopping({ patience: 1 });
      const { trainLoader, testLoader } = loaders();
      try {
        fit(model, {
          trainLoader,
          testLoader,
          optimizer: new optim.SGD(model.parameters(), { lr: 0 }),
          lossFn: F.nllLoss,
          epochs: 10,
          checkpointDir: dir,
          resume,
          log: null,
          progress: false,
          callbacks: [
            stop,
            {
              onEpochEnd: (epoch: number) => {
                if (epoch === killAt) throw new Error('killed');
              },
            },
          ],
        });
      } catch (e) {
        if ((e as Error).message !== 'killed') throw e;
      }
      return stop.stoppedEpoch;
    };
    const dir = tempDir();
    assert.equal(run(dir, false), 3, 'a model that cannot learn stops after epoch 1 + patience + 1');
    const history = io.loadSafetensors(join(dir, 'model.safetensors')).metadata;
    assert.equal(history.epoch, '3', 'its last checkpoint is epoch 3');
    const again = tempDir();
    run(again, false, 2);
    assert.equal(run(again, true), 3);
  });

  it('BestCheckpoint keeps the weights of the most accurate epoch', () => {
    manualSeed(2);
    const model = new models.MLP();
    const path = join(tempDir(), 'best.safetensors');
    const best = new BestCheckpoint(model, path);
    const { trainLoader, testLoader } = loaders();
    const accuracies: number[] = [];
    const weights: number[][] = [];
    fit(model, {
      trainLoader,
      testLoader,
      optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }),
      lossFn: F.nllLoss,
      epochs: 4,
      log: null,
      progress: false,
      callbacks: [
        best,
        {
          onTest: (epoch: number, r: EvalResult) => {
            if (epoch > 0) accuracies.push(r.accuracy);
            if (epoch > 0) weights.push(Array.from(model.parameters()[0].values()));
          },
        },
      ],
    });
    assert.ok(existsSync(path));
    const bestEpoch = accuracies.indexOf(Math.max(...accuracies)) + 1;
    assert.equal(best.bestEpoch, bestEpoch);
    const saved = io.loadSafetensors(path);
    assert.equal(saved.metadata.epoch, String(bestEpoch));
    assert.deepEqual(
      Array.from(saved.tensors[[...model.namedParameters()][0][0]].values()),
      weights[bestEpoch - 1],
      'the file holds that epoch’s weights',
    );
  });
});

describe('test-time augmentation', () => {
  it("tta 'hflip' averages each image's outputs with its mirror image's", () => {
    manualSeed(4);
    const model = new nn.Sequential(new nn.Conv2d(3, 4, 3), new nn.Flatten(), new nn.Linear(4 * 6 * 6, 5));
    const x = randn([10, 3, 8, 8]);
    const y = randint(0, 5, [10]);
    const loader = [[x, y]] as [typeof x, typeof y][];
    const r = evaluate(model, loader, F.crossEntropy, { tta: 'hflip' });
    const averaged = noGrad(() =>
      model
        .forward(x)
        .add(model.forward(x.flip(3)))
        .div(2),
    );
    assert.ok(Math.abs(r.loss - F.crossEntropy(averaged, y).item()) < 1e-6);
    const plain = evaluate(model, loader, F.crossEntropy);
    assert.notEqual(r.loss, plain.loss);
    assert.throws(
      () => evaluate(new nn.Linear(3, 2), [[randn([4, 3]), randint(0, 2, [4])]], F.crossEntropy, { tta: 'hflip' }),
      /tta 'hflip' augments \[N, C, H, W\] images, got a batch of shape \[4, 3\]/,
    );
    assert.throws(
      () => evaluate(model, loader, F.crossEntropy, { tta: 'vflip' as never }),
      /tta must be 'none', 'hflip', 'shift'; got "vflip"/,
    );
  });

  it("tta 'shift' averages each image's outputs with its four one-pixel shifts, edges repeated", () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.Flatten(), new nn.Linear(3 * 3 * 4, 4));
    const [n, c, h, w] = [6, 2, 5, 6];
    const x = randn([n, c, h, w]);
    const y = randint(0, 4, [n]);
    const src = x.values();
    const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi - 1);
    const shifted = (dy: number, dx: number) => {
      const out = new Float32Array(src.length);
      for (let plane = 0; plane < n * c; plane++)
        for (let r = 0; r < h; r++)
          for (let q = 0; q < w; q++)
            out[(plane * h + r) * w + q] = src[(plane * h + clamp(r - dy, h)) * w + clamp(q - dx, w)];
      return tensor(Array.from(out)).reshape(n, c, h, w);
    };
    const views = [x, shifted(1, 0), shifted(-1, 0), shifted(0, 1), shifted(0, -1)];
    const averaged = noGrad(() =>
      views
        .map((v) => model.forward(v))
        .reduce((a, b) => a.add(b))
        .div(views.length),
    );
    const r = evaluate(model, [[x, y]], F.crossEntropy, { tta: 'shift' });
    assert.ok(
      Math.abs(r.loss - F.crossEntropy(averaged, y).item()) < 1e-6,
      `${r.loss} vs ${F.crossEntropy(averaged, y).item()}`,
    );
    const predictions = averaged.argmax(1).toArray();
    const truth = y.toArray();
    assert.equal(r.correct, predictions.filter((p, i) => p === truth[i]).length);
    assert.notEqual(r.loss, evaluate(model, [[x, y]], F.crossEntropy).loss);
  });
});
