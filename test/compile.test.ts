import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backend,
  compileStep,
  F,
  manualSeed,
  models,
  nn,
  noGrad,
  optim,
  randint,
  randn,
  referenceBackend,
  setBackend,
  withArena,
  type Tensor,
} from '../src/index.js';
import { activeWasmKernels } from '../src/backend/index.js';
import { assertClose } from './helpers/assert.js';

type LossFn = (out: Tensor, y: Tensor) => Tensor;
const MODELS: [string, () => nn.Module, LossFn, number][] = [
  ['net', () => new models.Net(), F.nllLoss, 16],
  ['mlp', () => models.mlp(), F.crossEntropy, 8],
  ['fmnist-v0', () => new models.FashionMNISTModelV0(), F.crossEntropy, 8],
  ['fmnist-v1', () => new models.FashionMNISTModelV1(), F.crossEntropy, 8],
  ['tinyvgg', () => new models.FashionMNISTModelV2(1, 10, 10), F.crossEntropy, 8],
  ['lenet', () => new models.Network(), F.crossEntropy, 10],
];

/** Trains `steps` batches from seed 0 and returns the weights and the losses. */
function train(make: () => nn.Module, lossFn: LossFn, batch: number, compiled: boolean, steps = 4, adam = true) {
  manualSeed(0);
  const model = make();
  const opt = adam
    ? new optim.Adam(model.parameters(), { lr: 0.01 })
    : new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const step = compiled
    ? compileStep(model, lossFn, opt)
    : (x: Tensor, y: Tensor) => {
        opt.zeroGrad();
        const loss = lossFn(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
      };
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(step(randn([batch, 1, 28, 28]), randint(0, 10, [batch])));
  return {
    weights: Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.toArray()])),
    losses,
    step,
  };
}

describe(
  'compiled training steps',
  { skip: activeWasmKernels() === null ? 'the WebAssembly SIMD backend is not active' : false },
  () => {
    /** Whether plans split batches between two threads here (not with TORCHLIT_THREADS=1). */
    const twoThreads = () => activeWasmKernels()?.helper != null;

    for (const [name, make, lossFn, batch] of MODELS) {
      it(`${name}: a traced step gives the eager gradients (dropout included)`, () => {
        const eager = make();
        const traced = make();
        traced.loadStateDict(eager.stateDict());
        manualSeed(5);
        const x = randn([batch, 1, 28, 28]);
        const y = randint(0, 10, [batch]);
        manualSeed(7);
        const loss = lossFn(eager.forward(x), y);
        loss.backward();
        manualSeed(7);
        const step = compileStep(traced, lossFn, new optim.SGD(traced.parameters(), { lr: 0 }));
        assertClose([step(x, y)], [loss.item()], 1e-6, 0, 'loss');
        assert.equal(step.traced, true, step.traceReason ?? '');
        const grads = [...traced.parameters()].map((p) => p.grad!.toArray().flat<unknown[], 3>(3) as number[]);
        [...eager.parameters()].forEach((p, i) => {
          const want = p.grad!.toArray().flat<unknown[], 3>(3) as number[];
          const scale = Math.max(...want.map(Math.abs));
          assertClose(grads[i], want, 0, 1e-6 * scale, `gradient ${i}`);
        });
      });

      it(`${name}: compiled steps give the eager numbers over several steps`, () => {
        const eager = train(make, lossFn, batch, false, 4, false);
        const compiled = train(make, lossFn, batch, true, 4, false);
        assert.equal((compiled.step as ReturnType<typeof compileStep>).compiled, true);
        assertClose(compiled.losses, eager.losses, 1e-5, 1e-7, 'losses');
        for (const [k, w] of Object.entries(eager.weights)) assertClose(compiled.weights[k], w, 1e-5, 1e-7, k);
        // Adam divides by each weight's gradient RMS: a weight whose gradient is rounding noise (1e-10
        // where the exact gradient is 0) moves by up to lr with the noise's sign, so its weights are
        // not comparable between two summation orders; its losses are.
        const eagerAdam = train(make, lossFn, batch, false);
        const compiledAdam = train(make, lossFn, batch, true);
        assertClose(compiledAdam.losses, eagerAdam.losses, 1e-5, 1e-7, 'Adam losses');
      });
    }

    /** One step of `model` from seed 7 on a fixed batch, eagerly or compiled; returns the loss, the gradients and the step. */
    function oneStep(model: nn.Module, lossFn: LossFn, batch: number, compiled: boolean) {
      manualSeed(5);
      const x = randn([batch, 1, 28, 28]);
      const y = randint(0, 10, [batch]);
      manualSeed(7);
      const opt = new optim.SGD(model.parameters(), { lr: 0 });
      const step = compiled ? compileStep(model, lossFn, opt) : null;
      let loss: number;
      if (step) loss = step(x, y);
      else {
        const l = lossFn(model.forward(x), y);
        l.backward();
        loss = l.item();
      }
      return {
        loss,
        grads: [...model.parameters()].map((p) => p.grad!.toArray().flat<unknown[], 3>(3) as number[]),
        step,
      };
    }

    function twins(): [nn.Module, nn.Module] {
      manualSeed(0);
      const a = new models.Net();
      const b = new models.Net();
      b.loadStateDict(a.stateDict());
      return [a, b];
    }

    it('splits a large step between both threads, and finds the batch size, mode and thread split of each plan', () => {
      const [a, b] = twins();
      const eager = oneStep(a, F.nllLoss, 16, false);
      const traced = oneStep(b, F.nllLoss, 16, true);
      assert.equal(traced.step!.traced, true, traced.step!.traceReason ?? '');
      assert.equal(traced.step!.split, twoThreads());
      // An odd batch cannot be halved: it replays on one thread.
      const x = randn([7, 1, 28, 28]);
      const y = randint(0, 10, [7]);
      traced.step!(x, y);
      assert.equal(traced.step!.traced, true);
      assert.equal(traced.step!.split, false);
      // Eval mode (no dropout) is a plan of its own, with the eager numbers.
      b.eval();
      a.eval();
      a.zeroGrad();
      const want = F.nllLoss(a.forward(x), y);
      want.backward();
      assertClose([traced.step!(x, y)], [want.item()], 1e-6, 0, 'eval-mode loss');
      assert.equal(traced.step!.traced, true);
      assert.ok(eager.loss > 0);
    });

    it(
      'runs steps whose samples interact, or whose loss is not a mean, through autograd with the reason',
      { skip: twoThreads() ? false : 'one thread: such steps trace whole' },
      () => {
        const sumLoss: LossFn = (out, y) => F.nllLoss(out, y, { reduction: 'sum' });
        const centred: LossFn = (out, y) => F.nllLoss(out.sub(out.mean(0, true)), y);
        for (const [lossFn, name] of [
          [sumLoss, 'sum'],
          [centred, 'batch-centred'],
        ] as const) {
          const [a, b] = twins();
          const eager = oneStep(a, lossFn, 16, false);
          const compiled = oneStep(b, lossFn, 16, true);
          assert.equal(compiled.step!.traced, false, name);
          assert.match(compiled.step!.traceReason!, /(loss|gradient of) .* differs (from|between) the/, name);
          assertClose([compiled.loss], [eager.loss], 1e-6, 0, `${name} loss`);
          compiled.grads.forEach((g, i) => assertClose(g, eager.grads[i], 1e-5, 1e-7, `${name} gradient ${i}`));
        }
      },
    );

    it(
      'runs a step whose forward only works on the whole batch through autograd',
      { skip: twoThreads() ? false : 'one thread: the batch traces whole' },
      () => {
        class FixedBatch extends nn.Module {
          inner = new models.Net();
          forward(x: Tensor): Tensor {
            return this.inner.forward(x.view(16, 1, 28, 28));
          }
        }
        manualSeed(0);
        const model = new FixedBatch();
        const step = compileStep(model, F.nllLoss, new optim.SGD(model.parameters(), { lr: 0.01 }));
        const loss = step(randn([16, 1, 28, 28]), randint(0, 10, [16]));
        assert.equal(step.traced, false);
        assert.match(step.traceReason!, /could not be traced: .*shape/);
        assert.ok(Number.isFinite(loss));
      },
    );

    it('runs a step that draws random numbers outside dropout through autograd', () => {
      const noisy: LossFn = (out, y) => F.nllLoss(out.add(randn(out.shape).mul(0.01)), y);
      const [a, b] = twins();
      const eager = oneStep(a, noisy, 16, false);
      const compiled = oneStep(b, noisy, 16, true);
      assert.equal(compiled.step!.traced, false);
      assert.match(compiled.step!.traceReason!, /random numbers the trace does not replay|differs/);
      assertClose([compiled.loss], [eager.loss], 1e-6, 0, 'loss');
    });

    it('two runs from the same seed end with bit-identical weights', () => {
      const a = train(() => new models.Net(), F.nllLoss, 64, true, 6);
      const b = train(() => new models.Net(), F.nllLoss, 64, true, 6);
      assert.deepEqual(a.weights, b.weights);
    });

    it('parameters stay usable after compiled steps: evaluation, state dicts, loading', () => {
      manualSeed(0);
      const model = new models.Network();
      const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const step = compileStep(model, F.crossEntropy, opt);
      for (let i = 0; i < 3; i++) step(randn([4, 1, 28, 28]), randint(0, 10, [4]));
      const x = randn([2, 1, 28, 28]);
      const before = model.eval().forward(x).toArray();
      const copy = new models.Network();
      copy.loadStateDict(model.stateDict());
      assert.deepEqual(copy.eval().forward(x).toArray(), before);
      model.loadStateDict(new models.Network().stateDict());
      assert.notDeepEqual(model.forward(x).toArray(), before);
      const buffer = opt.stateDict().state[0].momentum_buffer as Tensor;
      assert.deepEqual([...buffer.shape], [...model.conv1.weight.shape]);
      assert.ok(buffer.abs().sum().item() > 0, 'the momentum buffer survives compiled steps');
    });

    it('withArena evaluates with the same numbers and gives its memory back', () => {
      manualSeed(1);
      const net = new models.Net().eval();
      const x = randn([50, 1, 28, 28]);
      const y = randint(0, 10, [50]);
      const plain = noGrad(() => F.nllLoss(net.forward(x), y, { reduction: 'none' }).toArray());
      const kernels = activeWasmKernels()!;
      const mark = kernels.mark();
      const scoped = noGrad(() => withArena(() => F.nllLoss(net.forward(x), y, { reduction: 'none' }).toArray()));
      assert.deepEqual(scoped, plain);
      assert.equal(kernels.mark(), mark);
    });

    it('falls back to eager steps with a reason where it cannot compile', () => {
      const previous = backend();
      setBackend(referenceBackend);
      try {
        const model = models.mlp();
        const step = compileStep(model, F.crossEntropy, new optim.SGD(model.parameters(), { lr: 0.1 }));
        assert.equal(step.compiled, false);
        assert.match(step.reason!, /WebAssembly SIMD backend is not active/);
        assert.equal(typeof step(randn([2, 1, 28, 28]), randint(0, 10, [2])), 'number');
      } finally {
        setBackend(previous);
      }
      const double = models.mlp().double();
      const step = compileStep(double, F.crossEntropy, new optim.SGD(double.parameters(), { lr: 0.1 }));
      assert.match(step.reason!, /parameter 1\.weight is float64/);
    });
  },
);
