import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { F, manualSeed, models, nn, optim, tensor, type DType, type Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { loadModelFixture } from './helpers/fixtures.js';

type LossFn = (out: Tensor, target: Tensor) => Tensor;

const MODELS: Record<string, [() => nn.Module, LossFn]> = {
  net: [() => new models.Net(), F.nllLoss],
  mlp: [() => models.mlp(), F.crossEntropy],
  'fmnist-v0': [() => new models.FashionMNISTModelV0(784, 10, 10), F.crossEntropy],
  'fmnist-v1': [() => new models.FashionMNISTModelV1(784, 10, 10), F.crossEntropy],
  tinyvgg: [() => new models.FashionMNISTModelV2(1, 10, 10), F.crossEntropy],
  lenet: [() => new models.Network(), F.crossEntropy],
};

for (const [name, [make, lossFn]] of Object.entries(MODELS)) {
  describe(`PyTorch parity: ${name}`, () => {
    const fx = loadModelFixture(name);
    const x = fx.tensor('input');
    const y = tensor(fx.target);

    const loaded = () => {
      const model = make();
      model.loadStateDict(fx.group('weights'));
      return model.eval();
    };

    const train = (opt: (ps: nn.Parameter[]) => optim.Optimizer<object>, steps: number, dtype: DType = 'float32') => {
      const model = loaded().to(dtype);
      const input = x.to(dtype);
      const o = opt(model.parameters());
      const after: Record<string, Tensor>[] = [];
      for (let i = 0; i < steps; i++) {
        o.zeroGrad();
        lossFn(model.forward(input), y).backward();
        o.step();
        after.push(Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.clone()])));
      }
      return after;
    };

    it('prints exactly as PyTorch', () => {
      assert.equal(make().toString(), fx.repr);
    });

    it('names parameters as PyTorch, in the same order', () => {
      assert.deepEqual(
        [...make().namedParameters()].map(([k]) => k),
        fx.params,
      );
    });

    it('initialises exactly as PyTorch for the same seed', () => {
      manualSeed(0);
      const sd = make().stateDict();
      for (const [k, w] of Object.entries(fx.group('weights'))) assertClose(sd[k], w, 0, 0, k);
    });

    it('matches the forward output and loss', () => {
      const out = loaded().forward(x);
      assertClose(out, fx.tensor('output'), 1e-4, 1e-6, 'output');
      assertClose([lossFn(out, y).item()], [fx.loss], 1e-4, 1e-7, 'loss');
    });

    it('matches every parameter gradient', () => {
      const model = loaded();
      lossFn(model.forward(x), y).backward();
      const grads = fx.group('grad');
      for (const [k, p] of model.namedParameters()) assertClose(p.grad!, grads[k], 1e-4, 1e-6, `grad ${k}`);
    });

    it('matches the parameters after two SGD-momentum steps', () => {
      const after = train((ps) => new optim.SGD(ps, { lr: 0.01, momentum: 0.5 }), 2);
      after.forEach((sd, i) => {
        for (const [k, w] of Object.entries(fx.group(`sgd${i + 1}`)))
          assertClose(sd[k], w, 1e-4, 1e-6, `sgd step ${i + 1} ${k}`);
      });
    });

    it('matches the parameters after two Adam steps', () => {
      // In float64 on both sides: Adam's division by |g| + eps magnifies float32 rounding in tiny gradients.
      const after = train((ps) => new optim.Adam(ps, { lr: 0.01 }), 2, 'float64');
      after.forEach((sd, i) => {
        for (const [k, w] of Object.entries(fx.group(`adam${i + 1}`)))
          assertClose(sd[k], w, 1e-4, 1e-6, `adam step ${i + 1} ${k}`);
      });
    });
  });
}
