import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backend, compileStep, F, manualSeed, models, nn, noGrad, optim, randint, randn, referenceBackend, setBackend, wasmBackend, withArena, type Tensor } from '../src/index.js';
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
function train(make: () => nn.Module, lossFn: LossFn, batch: number, compiled: boolean, steps = 4) {
  manualSeed(0);
  const model = make();
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
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
  return { weights: Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.toArray()])), losses, step };
}

describe('compiled training steps', { skip: wasmBackend() === null ? 'no WebAssembly SIMD here' : false }, () => {
  for (const [name, make, lossFn, batch] of MODELS) {
    it(`${name}: compiled steps give the eager numbers (dropout included)`, () => {
      const eager = train(make, lossFn, batch, false);
      const compiled = train(make, lossFn, batch, true);
      assert.equal((compiled.step as ReturnType<typeof compileStep>).compiled, true);
      assertClose(compiled.losses, eager.losses, 1e-5, 1e-7, 'losses');
      for (const [k, w] of Object.entries(eager.weights)) assertClose(compiled.weights[k], w, 1e-5, 1e-7, k);
    });
  }

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
});
