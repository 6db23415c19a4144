import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileStep, F, manualSeed, nn, optim, randint, randn, type Tensor } from '../src/index.js';
import { activeWasmKernels } from '../src/backend/index.js';
import { abortSplit, arrive, BARRIER_SLOTS } from '../src/backend/wasm/split_batchnorm.js';
import { assertClose } from './helpers/assert.js';

/** Batch norm of every kind a split step shares: on the input (no dx), cumulative, without affine, 1d. */
class SplitNet extends nn.Module {
  bn0 = new nn.BatchNorm2d(1);
  conv1 = new nn.Conv2d(1, 16, 3, { padding: 1, bias: false });
  bn1 = new nn.BatchNorm2d(16, { momentum: null });
  conv2 = new nn.Conv2d(16, 32, 3, { padding: 1 });
  bn2 = new nn.BatchNorm2d(32, { affine: false });
  pool = new nn.MaxPool2d(2);
  flatten = new nn.Flatten();
  fc1 = new nn.Linear(32 * 7 * 7, 24);
  bn3 = new nn.BatchNorm1d(24);
  fc2 = new nn.Linear(24, 10);

  forward(x: Tensor): Tensor {
    const h = F.relu(this.bn1.forward(this.conv1.forward(this.bn0.forward(x))));
    const g = this.pool.forward(F.relu(this.bn2.forward(this.conv2.forward(h))));
    return this.fc2.forward(F.relu(this.bn3.forward(this.fc1.forward(this.flatten.forward(g)))));
  }
}

const kernels = activeWasmKernels();
const twoThreads = kernels?.helper != null;
const loss = (o: Tensor, t: Tensor) => F.crossEntropy(o, t, { labelSmoothing: 0.1 });

function twins(): [SplitNet, SplitNet] {
  manualSeed(4);
  const a = new SplitNet();
  const b = new SplitNet();
  b.loadStateDict(a.stateDict());
  return [a, b];
}

function batch(seed: number, n = 16): [Tensor, Tensor] {
  manualSeed(seed);
  return [randn([n, 1, 14, 14]), randint(0, 10, [n])];
}

function eagerStep(model: nn.Module, opt: optim.SGD, x: Tensor, y: Tensor): number {
  opt.zeroGrad();
  const l = loss(model.forward(x), y);
  l.backward();
  opt.step();
  return l.item();
}

function assertSameState(a: nn.Module, b: nn.Module, what: string): void {
  const sa = a.stateDict();
  const sb = b.stateDict();
  for (const [name, t] of Object.entries(sa)) {
    if (name.endsWith('num_batches_tracked')) assert.deepEqual(t.toArray(), sb[name].toArray(), `${what}: ${name}`);
    else assertClose(t.toArray(), sb[name].toArray(), 1e-4, 1e-5, `${what}: ${name}`);
  }
}

describe(
  'a compiled step split between two threads shares batch norm statistics',
  { skip: kernels ? false : 'no WebAssembly backend here' },
  () => {
    it('splits a batch-norm model and matches the eager steps: losses, running statistics, counts and weights', () => {
      const [model, twin] = twins();
      const step = compileStep(model, loss, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }));
      const twinOpt = new optim.SGD(twin.parameters(), { lr: 0.1, momentum: 0.9 });
      for (let i = 0; i < 4; i++) {
        const [x, y] = batch(20 + i);
        const l = step(x, y);
        assert.equal(step.traced, true, step.traceReason ?? '');
        assert.equal(step.split, twoThreads, 'split between the threads where there are two');
        assertClose([l], [eagerStep(twin, twinOpt, x, y)], 1e-4, 1e-6, `loss of step ${i}`);
      }
      assertSameState(model, twin, 'after 4 steps');
    });

    it('gives the same numbers run after run', () => {
      const losses = [0, 1].map(() => {
        const [model] = twins();
        const step = compileStep(model, loss, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }));
        return [0, 1, 2].map((i) => step(...batch(30 + i)));
      });
      assert.deepEqual(losses[0], losses[1]);
    });

    it('runs a batch whose halves weigh differently in the loss (ignored targets) through autograd, with the eager numbers', () => {
      const [model, twin] = twins();
      const step = compileStep(model, loss, new optim.SGD(model.parameters(), { lr: 0.1 }));
      const twinOpt = new optim.SGD(twin.parameters(), { lr: 0.1 });
      const [x0, y0] = batch(40);
      assertClose([step(x0, y0)], [eagerStep(twin, twinOpt, x0, y0)], 1e-4, 1e-6, 'first step');
      const [x, y] = batch(41);
      for (let i = 0; i < 5; i++) y.data[i] = -100;
      const l = step(x, y);
      if (twoThreads) {
        assert.equal(step.traced, false);
        assert.match(step.traceReason ?? '', /halves weigh differently in the loss/);
      }
      assertClose([l], [eagerStep(twin, twinOpt, x, y)], 1e-4, 1e-6, 'the uneven batch');
      assertSameState(model, twin, 'after the uneven batch');
      const [x2, y2] = batch(42);
      assertClose([step(x2, y2)], [eagerStep(twin, twinOpt, x2, y2)], 1e-4, 1e-6, 'the next batch');
      assert.equal(step.traced, true, step.traceReason ?? '');
      assert.equal(step.split, twoThreads);
    });

    it('traces a first batch whose halves weigh differently whole, on one thread', () => {
      const [model, twin] = twins();
      const step = compileStep(model, loss, new optim.SGD(model.parameters(), { lr: 0.1 }));
      const twinOpt = new optim.SGD(twin.parameters(), { lr: 0.1 });
      const [x, y] = batch(50);
      y.data[0] = -100;
      assertClose([step(x, y)], [eagerStep(twin, twinOpt, x, y)], 1e-4, 1e-6, 'loss');
      assert.equal(step.traced, true, step.traceReason ?? '');
      assert.equal(step.split, false);
      assertSameState(model, twin, 'after the step');
    });
  },
);

describe('the barrier of a split step', () => {
  it('lets a thread through once the other has arrived as often', () => {
    const barrier = new Int32Array(new SharedArrayBuffer(4 * BARRIER_SLOTS));
    Atomics.store(barrier, 1, 1);
    arrive(barrier, 0);
    assert.equal(Atomics.load(barrier, 0), 1);
  });

  it('throws, instead of waiting for ever, when the other thread failed', () => {
    const barrier = new Int32Array(new SharedArrayBuffer(4 * BARRIER_SLOTS));
    abortSplit(barrier);
    assert.throws(() => arrive(barrier, 1), /the other thread of a split training step failed/);
  });
});
