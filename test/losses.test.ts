import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { activeWasmKernels } from '../src/backend/index.js';
import {
  compileStep,
  DataLoader,
  TensorDataset,
  type DataLoaderOptions,
  F,
  manualSeed,
  models,
  nn,
  optim,
  randint,
  randn,
  tensor,
  type DType,
  type Tensor,
} from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

const twoThreads = () => activeWasmKernels()?.helper != null;

/** What scripts/make_loss_fixtures.py writes: PyTorch's loss and input gradient, or its error. */
interface LossCase {
  fn: 'nll_loss' | 'cross_entropy';
  input: number[];
  shape: number[];
  dtype: DType;
  target: number[];
  target_shape: number[];
  prob: boolean;
  options: { reduction?: F.Reduction; weight?: number[]; ignore_index?: number; label_smoothing?: number };
  loss?: (number | null)[];
  loss_shape?: number[];
  grad?: (number | null)[];
  error?: string;
}

const cases = JSON.parse(readFileSync(`${fixtureDir}losses.json`, 'utf8')) as LossCase[];
const nan = (v: (number | null)[]) => v.map((x) => x ?? NaN);

/** The torchlit error for each error PyTorch raises in the fixtures. */
const ERRORS: [RegExp, RegExp][] = [
  [/Target 4 is out of bounds/, /Target 4 is out of bounds/],
  [/to match target batch_size/, /class targets must have shape \[3\] for input \[3, 4\], got \[2\]/],
  [/weight tensor should be defined/, /weight must be a 1-d float tensor of 4 values/],
  [/label_smoothing must be between 0.0 and 1.0/, /labelSmoothing must be between 0.0 and 1.0, got 1.5/],
];

function run(c: LossCase): { loss: Tensor; input: Tensor } {
  const input = tensor(c.input, { dtype: c.dtype })
    .reshape(...c.shape)
    .requiresGrad_();
  const target = tensor(c.target, { dtype: c.prob ? c.dtype : 'int64' }).reshape(...c.target_shape);
  const o = c.options;
  const opts: F.LossOptions = {
    ...(o.reduction && { reduction: o.reduction }),
    ...(o.weight && { weight: tensor(o.weight, { dtype: c.dtype }) }),
    ...(o.ignore_index !== undefined && { ignoreIndex: o.ignore_index }),
    ...(o.label_smoothing !== undefined && { labelSmoothing: o.label_smoothing }),
  };
  const loss = c.fn === 'nll_loss' ? F.nllLoss(input, target, opts) : F.crossEntropy(input, target, opts);
  return { loss, input };
}

describe('nllLoss and crossEntropy against PyTorch', () => {
  for (const [i, c] of cases.entries()) {
    const name = `${i}: ${c.fn} ${c.dtype} [${c.shape.join(', ')}]${c.prob ? ' probabilities' : ''} ${JSON.stringify(c.options)}`;
    it(name, () => {
      if (c.error) {
        const expected = ERRORS.find(([torch]) => torch.test(c.error!));
        assert.ok(expected, `no torchlit error listed for PyTorch's "${c.error}"`);
        assert.throws(() => run(c), expected[1]);
        return;
      }
      const { loss, input } = run(c);
      const [rtol, atol] = c.dtype === 'float64' ? [1e-12, 1e-13] : [2e-6, 2e-7];
      assert.deepEqual([...loss.shape], c.loss_shape);
      assert.equal(loss.dtype, c.dtype);
      assertClose(loss, nan(c.loss!), rtol, atol, 'loss');
      (loss.ndim === 0 ? loss : loss.sum()).backward();
      assertClose(input.grad!, nan(c.grad!), rtol, atol, 'gradient');
    });
  }

  it('refuses options it does not know and PyTorch options it does not have', () => {
    const x = randn([2, 3]);
    const t = tensor([0, 2], { dtype: 'int64' });
    assert.throws(
      () => F.crossEntropy(x, t, { weights: 1 } as F.LossOptions),
      /crossEntropy: unknown option 'weights'/,
    );
    assert.throws(() => F.nllLoss(x, t, { labelSmoothing: 0.1 }), /nllLoss: unknown option 'labelSmoothing'/);
    assert.throws(
      () => F.nllLoss(x, t, { sizeAverage: false } as F.LossOptions),
      /nllLoss: not supported: sizeAverage = false/,
    );
    assert.throws(() => F.nllLoss(x, tensor([0.5, 1]), {}), /integer class targets/);
  });
});

describe(
  'the loss options on the compiled step',
  { skip: activeWasmKernels() === null ? 'the WebAssembly SIMD backend is not active' : false },
  () => {
    /** One SGD step on Net, compiled or eager, with the given loss; the weights after it. */
    function trainedWeights(compiled: boolean, lossFn: (o: Tensor, t: Tensor) => Tensor, batches: [Tensor, Tensor][]) {
      manualSeed(3);
      const net = new models.Net().eval();
      const opt = new optim.SGD(net.parameters(), { lr: 0.1 });
      const step = compiled ? compileStep(net, lossFn, opt) : null;
      for (const [x, y] of batches) {
        if (step) step(x, y);
        else {
          opt.zeroGrad();
          lossFn(net.forward(x), y).backward();
          opt.step();
        }
      }
      if (step) {
        assert.equal(step.traced, true, step.traceReason ?? '');
        assert.equal(step.split, twoThreads(), 'split between the threads where there are two');
      }
      return net.parameters().map((p) => p.toArray());
    }

    it('replays class weights, ignored targets and label smoothing on batches with other targets', () => {
      manualSeed(5);
      const weight = tensor([1, 0.5, 2, 1, 1, 0.25, 1, 3, 1, 1]);
      const batches: [Tensor, Tensor][] = [0, 1, 2, 3, 4].map(() => {
        const y = randint(0, 10, [64]);
        y.data[3] = -100;
        y.data[40] = -100;
        return [randn([64, 1, 28, 28]), y];
      });
      // Halves of unequal weight, a first half all ignored, a second half all ignored.
      batches[2][1].data.set([-100, -100, 7], 5);
      batches[3][1].data.fill(-100, 0, 32);
      batches[4][1].data.fill(-100, 32, 64);
      const lossFn = (o: Tensor, t: Tensor) => F.crossEntropy(o, t, { weight, labelSmoothing: 0.1 });
      const eager = trainedWeights(false, lossFn, batches);
      const compiled = trainedWeights(true, lossFn, batches);
      eager.forEach((w, i) => assertClose(compiled[i], w, 1e-4, 1e-6, `parameter ${i}`));
    });
  },
);

describe('options no layer or loader ignores', () => {
  it('an unknown option, or a PyTorch option torchlit lacks, is an error naming it', () => {
    const x = randn([1, 2, 6, 6]);
    const w = randn([3, 2, 3, 3]);
    assert.throws(
      () => new nn.Linear(2, 2, { bias: true, dtype: 'float64' } as nn.LinearOptions),
      /nn.Linear: unknown option 'dtype'/,
    );
    assert.throws(
      () => F.conv2d(x, w, null, { dilations: 2 } as F.Conv2dOptions),
      /conv2d: unknown option 'dilations'/,
    );
    assert.throws(
      () => F.conv2d(x, w, null, { groups: 2 }),
      /Given groups=2, weight of size \[3, 2, 3, 3\], expected input\[1, 2, 6, 6\] to have 4 channels, but got 2 channels instead/,
    );
    assert.equal(F.conv2d(x, w, null, { dilation: [1, 1], groups: 1 }).shape[1], 3);
    assert.throws(
      () => new nn.Conv2d(2, 3, 3, { paddingMode: 'reflect' } as nn.Conv2dOptions),
      /nn.Conv2d: not supported: paddingMode = "reflect"/,
    );
    assert.throws(
      () => F.maxPool2d(x, 2, { returnIndices: true } as F.MaxPool2dOptions),
      /maxPool2d: not supported: returnIndices = true/,
    );
    assert.throws(
      () => new nn.MaxPool2d(2, { dilation: 2 } as nn.MaxPool2dOptions),
      /nn.MaxPool2d: not supported: dilation = 2/,
    );
    assert.throws(
      () => new nn.MaxPool2d(2, { strides: 2 } as nn.MaxPool2dOptions),
      /nn.MaxPool2d: unknown option 'strides'/,
    );
    const ds = new TensorDataset(randn([4, 2]));
    assert.throws(
      () => new DataLoader(ds, { numWorkers: 2 }),
      /DataLoader: not supported: numWorkers > 0 with this dataset/,
    );
    assert.throws(
      () => new DataLoader(ds, { batch_size: 2 } as DataLoaderOptions),
      /DataLoader: unknown option 'batch_size'/,
    );
    assert.throws(
      () => new DataLoader(ds, { workerInitFn: () => 0 } as DataLoaderOptions),
      /DataLoader: not supported: workerInitFn/,
    );
  });
});

/** What scripts/make_loss_fixtures.py writes for the elementwise losses. */
interface ElementwiseCase {
  fn: string;
  input: (number | null)[];
  shape: number[];
  dtype: DType;
  target: (number | null)[];
  options: Record<string, unknown> & { weight?: number[]; pos_weight?: number[]; log_target?: boolean };
  loss?: (number | null)[];
  loss_shape?: number[];
  grad?: (number | null)[];
}

const elementwiseCases = JSON.parse(readFileSync(`${fixtureDir}elementwise_losses.json`, 'utf8')) as ElementwiseCase[];
const ELEMENTWISE: Record<string, (x: Tensor, y: Tensor, o: never) => Tensor> = {
  mse_loss: F.mseLoss,
  l1_loss: F.l1Loss,
  smooth_l1_loss: F.smoothL1Loss,
  huber_loss: F.huberLoss,
  binary_cross_entropy: F.binaryCrossEntropy,
  binary_cross_entropy_with_logits: F.binaryCrossEntropyWithLogits,
  kl_div: F.klDiv,
};

describe('the elementwise losses against PyTorch', () => {
  for (const [i, c] of elementwiseCases.entries()) {
    it(`${i}: ${c.fn} ${c.dtype} [${c.shape.join(', ')}] ${JSON.stringify(c.options)}`, () => {
      const input = tensor(nan(c.input), { dtype: c.dtype })
        .reshape(...c.shape)
        .requiresGrad_();
      const target = tensor(nan(c.target), { dtype: c.dtype }).reshape(...c.shape);
      const { weight, pos_weight, log_target, ...rest } = c.options;
      const opts = {
        ...rest,
        ...(weight && { weight: tensor(weight, { dtype: c.dtype }) }),
        ...(pos_weight && { posWeight: tensor(pos_weight, { dtype: c.dtype }) }),
        ...(log_target !== undefined && { logTarget: log_target }),
      };
      const loss = ELEMENTWISE[c.fn](input, target, opts as never);
      const [rtol, atol] = c.dtype === 'float64' ? [1e-11, 1e-12] : [1e-5, 1e-6];
      assert.deepEqual([...loss.shape], c.loss_shape);
      assertClose(loss, nan(c.loss!), rtol, atol, 'loss');
      (loss.ndim === 0 ? loss : loss.sum()).backward();
      assertClose(input.grad!, nan(c.grad!), rtol, atol, 'gradient');
    });
  }

  it('loss modules print as PyTorch and refuse what they do not know', () => {
    assert.equal(new nn.CrossEntropyLoss().toString(), 'CrossEntropyLoss()');
    const x = randn([3, 4]).requiresGrad_();
    const y = tensor([0, 3, 1], { dtype: 'int64' });
    assertClose(
      new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(x, y),
      F.crossEntropy(x, y, { labelSmoothing: 0.1 }),
      0,
      0,
    );
    assert.throws(
      () => new nn.MSELoss({ reduction: 'mean', beta: 1 } as F.ElementwiseLossOptions),
      /nn.MSELoss: unknown option 'beta'/,
    );
    assert.throws(() => F.mseLoss(x, randn([4])), /target \[4\] must have the input's shape \[3, 4\]/);
    assert.throws(
      () => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1], { dtype: 'float32' })),
      /between 0 and 1, got 1.5/,
    );
    assert.throws(
      () => F.klDiv(x, x, { reduction: 'avg' as 'mean' }),
      /reduction must be one of 'mean', 'sum', 'none', 'batchmean'/,
    );
  });
});

describe(
  'the elementwise losses on the compiled step',
  { skip: activeWasmKernels() === null ? 'the WebAssembly SIMD backend is not active' : false },
  () => {
    for (const [name, lossFn] of [
      ['mseLoss', (o: Tensor, t: Tensor) => F.mseLoss(o, t)],
      ['huberLoss', (o: Tensor, t: Tensor) => F.huberLoss(o, t, { delta: 0.5 })],
      ['binaryCrossEntropyWithLogits', (o: Tensor, t: Tensor) => F.binaryCrossEntropyWithLogits(o, t.gt(0).float())],
    ] as const) {
      it(`${name}: a traced step replays what autograd computes, batch after batch`, () => {
        const weights = (compiled: boolean) => {
          manualSeed(11);
          const model = new nn.Sequential(new nn.Linear(20, 32), new nn.ReLU(), new nn.Linear(32, 4));
          const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
          const step = compileStep(model, lossFn, opt);
          for (let b = 0; b < 3; b++) {
            const x = randn([16, 20]);
            const y = randn([16, 4]);
            if (compiled) step(x, y);
            else {
              opt.zeroGrad();
              lossFn(model.forward(x), y).backward();
              opt.step();
            }
          }
          if (compiled) assert.equal(step.traced, true, step.traceReason ?? '');
          return model.parameters().map((p) => p.toArray());
        };
        const [eager, compiled] = [weights(false), weights(true)];
        eager.forEach((w, i) => assertClose(compiled[i], w, 1e-5, 1e-6, `parameter ${i}`));
      });
    }
  },
);

describe('loss modules keep their tensors as buffers, as PyTorch', () => {
  it('weight and pos_weight are in the state dict, follow to() and loadStateDict', () => {
    const weight = tensor([1, 2, 0.5], { dtype: 'float32' });
    const ce = new nn.CrossEntropyLoss({ weight });
    assert.deepEqual(Object.keys(ce.stateDict()), ['weight']);
    assert.deepEqual(Object.keys(new nn.CrossEntropyLoss().stateDict()), []);
    const bce = new nn.BCEWithLogitsLoss({ posWeight: tensor([3], { dtype: 'float32' }) });
    assert.deepEqual(Object.keys(bce.stateDict()), ['pos_weight']);
    const x = tensor(
      [
        [0.2, -1, 0.5],
        [1, 0, 0],
      ],
      { dtype: 'float32' },
    );
    const y = tensor([1, 0]);
    assert.equal(ce.forward(x, y).item(), F.crossEntropy(x, y, { weight }).item());
    const original = weight.clone();
    const loaded = tensor([1, 4, 0.5], { dtype: 'float32' });
    ce.loadStateDict({ weight: loaded });
    assert.equal(ce.forward(x, y).item(), F.crossEntropy(x, y, { weight: loaded }).item(), 'the loaded weight is used');
    assert.notEqual(ce.forward(x, y).item(), F.crossEntropy(x, y, { weight: original }).item());
    assert.deepEqual(weight.toArray(), [1, 4, 0.5], 'as in PyTorch, loading copies into the buffer given');
    ce.to('float64');
    assert.equal((ce as unknown as { weight: Tensor }).weight.dtype, 'float64');
  });
});
