import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  DataLoader,
  datasets,
  evaluate,
  F,
  fit,
  io,
  manualSeed,
  models,
  noGrad,
  optim,
  randn,
  Subset,
  transforms,
  type nn,
  type Tensor,
} from '../../src/index.js';
import { tempDir } from '../helpers/data.js';

type Loader = DataLoader<[Tensor, number]>;

function snapshot(model: nn.Module): number[][] {
  return model.parameters().map((p) => p.toArray());
}

describe('fit and evaluate', () => {
  let trainLoader: Loader;
  let testLoader: Loader;
  let bigBatches: Loader;
  before(async () => {
    const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
    const train = await datasets.MNIST({ train: true, transform });
    const test = await datasets.MNIST({ train: false, transform });
    trainLoader = new DataLoader(
      new Subset(
        train,
        Array.from({ length: 320 }, (_, i) => i),
      ),
      { batchSize: 32, shuffle: true },
    );
    testLoader = new DataLoader(
      new Subset(
        test,
        Array.from({ length: 200 }, (_, i) => i),
      ),
      { batchSize: 64 },
    );
    // Batches larger than evaluate's chunk of 250 samples.
    bigBatches = new DataLoader(
      new Subset(
        test,
        Array.from({ length: 1100 }, (_, i) => i),
      ),
      { batchSize: 600 },
    );
  });

  it("prints the tutorial's lines, fills the history and calls the callbacks", () => {
    manualSeed(1);
    const model = new models.Net();
    const lines: string[] = [];
    const seen = { batches: 0, logs: 0, tests: [] as number[], epochs: 0 };
    const result = fit(model, {
      trainLoader,
      testLoader,
      optimizer: new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 }),
      lossFn: F.nllLoss,
      epochs: 2,
      logInterval: 4,
      log: (l) => lines.push(l),
      progress: false,
      callbacks: {
        onBatchEnd: () => seen.batches++,
        onLog: () => seen.logs++,
        onTest: (e) => seen.tests.push(e),
        onEpochEnd: () => seen.epochs++,
      },
    });
    assert.deepEqual(seen, { batches: 20, logs: 6, tests: [0, 1, 2], epochs: 2 });
    const train = lines.filter((l) => l.startsWith('Train Epoch'));
    assert.deepEqual(
      train.map((l) => l.replace(/Loss: .*/, '')),
      [
        'Train Epoch: 1 [0/320 (0%)]\t',
        'Train Epoch: 1 [128/320 (40%)]\t',
        'Train Epoch: 1 [256/320 (80%)]\t',
        'Train Epoch: 2 [0/320 (0%)]\t',
        'Train Epoch: 2 [128/320 (40%)]\t',
        'Train Epoch: 2 [256/320 (80%)]\t',
      ],
    );
    assert.match(train[0], /Loss: \d\.\d{6}$/);
    assert.equal(
      lines.filter((l) => /^\nTest set: Avg\. loss: \d\.\d{4}, Accuracy: \d+\/200 \(\d+%\)\n$/.test(l)).length,
      3,
    );
    const h = result.history;
    assert.deepEqual(h.trainCounter, [0, 128, 256, 320, 448, 576]);
    assert.deepEqual(h.testCounter, [0, 320, 640]);
    assert.equal(h.trainLosses.length, 6);
    assert.equal(h.epochTrainLosses.length, 2);
    assert.ok(h.epochTrainLosses[1] < h.epochTrainLosses[0], 'the mean train loss falls');
    assert.equal(h.testLosses.length, 3);
    assert.ok(h.testLosses[2] < h.testLosses[0], 'test loss falls');
    assert.ok(result.trainTimeS > 0);
    assert.equal(result.compiled, true);
    assert.equal(result.test!.total, 200);
  });

  it('says once why steps run through autograd when they cannot be traced', () => {
    manualSeed(1);
    const model = new models.Net();
    const lines: string[] = [];
    const noisy = (out: Tensor, y: Tensor) => F.nllLoss(out.add(randn(out.shape).mul(0.01)), y);
    fit(model, {
      trainLoader,
      optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }),
      lossFn: noisy,
      epochs: 2,
      logInterval: 100,
      log: (l) => lines.push(l),
      progress: false,
    });
    const notes = lines.filter((l) => l.startsWith('Note:'));
    assert.equal(notes.length, 1, lines.join('\n'));
    assert.match(
      notes[0],
      /^Note: batches of 32 run through autograd, not a traced plan: .*(random numbers the trace does not replay|differs)/,
    );
    const quiet: string[] = [];
    const traced = new models.Net();
    fit(traced, {
      trainLoader,
      optimizer: new optim.SGD(traced.parameters(), { lr: 0.01 }),
      lossFn: F.nllLoss,
      epochs: 1,
      log: (l) => quiet.push(l),
      progress: false,
    });
    assert.deepEqual(
      quiet.filter((l) => l.startsWith('Note:')),
      [],
    );
  });

  it('evaluate gives the mean loss per sample, accuracy and confusion matrix', () => {
    manualSeed(2);
    const model = new models.Net();
    for (const loader of [testLoader, bigBatches]) {
      const r = evaluate(model, loader, F.nllLoss);
      assert.equal(model.training, true, 'the mode is restored');
      let loss = 0;
      let correct = 0;
      let total = 0;
      noGrad(() => {
        model.eval();
        for (const [x, y] of loader) {
          const out = model.forward(x);
          loss += F.nllLoss(out, y, { reduction: 'sum' }).item();
          correct += out.argmax(1).eq(y).sum().item();
          total += y.shape[0];
        }
        model.train();
      });
      assert.equal(r.modelName, 'Net');
      assert.equal(r.total, total);
      assert.ok(Math.abs(r.loss - loss / total) < 1e-5, `${r.loss} vs ${loss / total}`);
      assert.equal(r.correct, correct);
      assert.equal(r.accuracy, (100 * correct) / total);
      assert.equal(
        r.confusion.flat().reduce((a, b) => a + b, 0),
        total,
      );
      assert.equal(
        r.confusion.reduce((a, row, i) => a + row[i], 0),
        correct,
      );
    }
  });

  for (const [name, makeOpt] of [
    ['SGD with momentum', (m: nn.Module) => new optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.9 })],
    ['Adam', (m: nn.Module) => new optim.Adam(m.parameters(), { lr: 0.01 })],
  ] as const) {
    it(`saving and loading model and ${name} state continues training exactly`, () => {
      const dir = tempDir();
      const batches = [...trainLoader].slice(0, 6);
      const run = (model: nn.Module, opt: optim.Optimizer<object>, from: number, to: number) => {
        model.eval(); // no dropout draws, so both continuations see the same computation
        for (const [x, y] of batches.slice(from, to)) {
          opt.zeroGrad();
          F.nllLoss(model.forward(x), y).backward();
          opt.step();
        }
      };
      manualSeed(5);
      const model = new models.Net();
      const opt = makeOpt(model);
      run(model, opt, 0, 3);
      io.saveModel(model, join(dir, 'model.safetensors'));
      io.saveOptimizer(opt, join(dir, 'optimizer.safetensors'));
      run(model, opt, 3, 6);

      manualSeed(99);
      const fresh = new models.Net();
      const freshOpt = makeOpt(fresh);
      io.loadModel(fresh, join(dir, 'model.safetensors'));
      io.loadOptimizer(freshOpt, join(dir, 'optimizer.safetensors'));
      run(fresh, freshOpt, 3, 6);
      assert.deepEqual(snapshot(fresh), snapshot(model));
    });
  }

  it('resuming fit from its checkpoint matches an uninterrupted fit', () => {
    const train = (epochs: number, dir: string, resume: boolean) => {
      manualSeed(1);
      const model = new models.Net();
      const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
      fit(model, {
        trainLoader,
        testLoader,
        optimizer: opt,
        lossFn: F.nllLoss,
        epochs,
        logInterval: 3,
        checkpointDir: dir,
        resume,
        log: null,
        progress: false,
      });
      return snapshot(model);
    };
    const straight = train(2, tempDir(), false);
    const dir = tempDir();
    train(1, dir, false);
    assert.deepEqual(train(2, dir, true), straight);
  });

  const schedules: [string, (opt: optim.SGD) => optim.lr_scheduler.Scheduler][] = [
    [
      'OneCycleLR, stepped per batch',
      (opt) => new optim.lr_scheduler.OneCycleLR(opt, 0.05, { epochs: 2, stepsPerEpoch: 10 }),
    ],
    [
      'ReduceLROnPlateau on the test loss',
      (opt) => new optim.lr_scheduler.ReduceLROnPlateau(opt, { patience: 0, threshold: 0.5 }),
    ],
    ['CosineAnnealingLR with gradient clipping', (opt) => new optim.lr_scheduler.CosineAnnealingLR(opt, 3)],
  ];
  for (const [name, schedule] of schedules) {
    it(`${name}: a run interrupted mid-epoch resumes to the same weights, rates and schedule`, () => {
      const train = (dir: string, resume: boolean, stopAt?: [number, number]) => {
        manualSeed(1);
        const model = new models.Net();
        const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
        const scheduler = schedule(opt);
        try {
          fit(model, {
            trainLoader,
            testLoader,
            optimizer: opt,
            scheduler,
            lossFn: F.nllLoss,
            epochs: 2,
            logInterval: 3,
            checkpointDir: dir,
            resume,
            log: null,
            progress: false,
            ...(name.includes('clipping') && { clipGradNorm: 0.5 }),
            callbacks: {
              onBatchEnd: (b) => {
                if (stopAt && b.epoch === stopAt[0] && b.batch === stopAt[1]) throw new Error('killed');
              },
            },
          });
        } catch (e) {
          if ((e as Error).message !== 'killed') throw e;
        }
        return { weights: snapshot(model), lr: opt.paramGroups[0].lr, state: scheduler.stateDict() };
      };
      const straight = train(tempDir(), false);
      const dir = tempDir();
      train(dir, false, [2, 4]);
      const resumed = train(dir, true);
      assert.deepEqual(resumed, straight);
      assert.notEqual(straight.lr, 0.01, 'the schedule moved the rate');
    });
  }

  it('clipGradNorm bounds each update: plain SGD moves the weights by at most lr x maxNorm', () => {
    manualSeed(2);
    const model = new models.Net();
    const before = snapshot(model).flat();
    const one = new DataLoader(trainLoader.dataset, { batchSize: 32 });
    fit(model, {
      trainLoader: new DataLoader(new Subset(one.dataset, [0, 1, 2, 3]), { batchSize: 4 }),
      optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
      lossFn: F.nllLoss,
      epochs: 1,
      clipGradNorm: 1e-3,
      log: null,
      progress: false,
    });
    const moved = Math.hypot(
      ...snapshot(model)
        .flat()
        .map((w, i) => w - before[i]),
    );
    assert.ok(moved > 0 && moved <= 0.1 * 1e-3 * 1.0001, `moved ${moved}`);
  });

  it('rejects bad settings', () => {
    const model = new models.Net();
    const base = {
      trainLoader,
      optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
      lossFn: F.nllLoss,
      log: null,
    };
    assert.throws(() => fit(model, { ...base, epochs: -1 }), /fit: epochs must be a non-negative integer, got -1/);
    assert.throws(
      () => fit(model, { ...base, epochs: 1, logInterval: 0 }),
      /fit: logInterval must be a positive integer, got 0/,
    );
    assert.throws(() => fit(model, { ...base, epochs: 1, resume: true }), /fit: resume needs checkpointDir/);
    const plateau = new optim.lr_scheduler.ReduceLROnPlateau(base.optimizer);
    assert.throws(
      () => fit(model, { ...base, epochs: 1, scheduler: plateau, schedulerInterval: 'batch' }),
      /ReduceLROnPlateau watches the test loss, once per epoch/,
    );
    assert.throws(() => fit(model, { ...base, epochs: 1, scheduler: plateau }), /ReduceLROnPlateau needs a testLoader/);
    const other = new optim.lr_scheduler.StepLR(new optim.SGD(new models.Net().parameters(), { lr: 0.1 }), 1);
    assert.throws(
      () => fit(model, { ...base, epochs: 1, scheduler: other }),
      /the scheduler belongs to another optimizer/,
    );
    assert.throws(() => fit(model, { ...base, epochs: 1, clipGradNorm: 0 }), /clipGradNorm must be a positive norm/);
  });
});
