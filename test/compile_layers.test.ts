import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileStep, F, manualSeed, models, nn, optim, randint, randn, sort, type Tensor } from '../src/index.js';
import { activeWasmKernels } from '../src/backend/index.js';
import { assertClose } from './helpers/assert.js';

/** A block of the layers past the tutorials, in one model a compiled step must trace. */
class Mixed extends nn.Module {
  stem = new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1, bias: false });
  bn = new nn.BatchNorm2d(8);
  conv = new nn.Conv2d(8, 8, 3, { padding: 1 });
  gelu = new nn.GELU();
  act = new nn.SiLU();
  pool = new nn.AvgPool2d(2);
  global = new nn.AdaptiveAvgPool2d(2);
  flatten = new nn.Flatten();
  norm = new nn.LayerNorm(32);
  head = new nn.Linear(32, 5);
  drop = new nn.Dropout(0.2);

  forward(x: Tensor): Tensor {
    const h = F.relu(this.bn.forward(this.stem.forward(x)));
    const r = this.act.forward(h.add(this.gelu.forward(this.conv.forward(h))));
    const g = this.norm.forward(this.flatten.forward(this.global.forward(this.pool.forward(r))));
    return this.head.forward(this.drop.forward(g));
  }
}

const wasm = activeWasmKernels() !== null;

describe(
  'compiled steps trace the layers past the tutorials',
  { skip: wasm ? false : 'no WebAssembly backend here' },
  () => {
    it('strided convolution, BatchNorm, a residual sum, GELU, SiLU, pooling, LayerNorm, dropout and a smoothed cross-entropy trace and match eager steps', () => {
      const make = () => {
        manualSeed(3);
        return new Mixed();
      };
      const model = make();
      const twin = make();
      const loss = (o: Tensor, t: Tensor) => F.crossEntropy(o, t, { labelSmoothing: 0.1 });
      const step = compileStep(model, loss, new optim.AdamW(model.parameters(), { lr: 1e-3 }));
      const twinOpt = new optim.AdamW(twin.parameters(), { lr: 1e-3 });
      for (let i = 0; i < 3; i++) {
        manualSeed(10 + i);
        const x = randn([16, 1, 16, 16]);
        const y = randint(0, 5, [16]);
        const l = step(x, y);
        assert.equal(step.traced, true, step.traceReason ?? '');
        manualSeed(10 + i);
        randn([16, 1, 16, 16]);
        randint(0, 5, [16]);
        twinOpt.zeroGrad();
        const e = loss(twin.forward(x), y);
        e.backward();
        twinOpt.step();
        assertClose([l], [e.item()], 1e-4, 1e-5, `loss of step ${i}`);
      }
      assertClose(model.head.weight.toArray(), twin.head.weight.toArray(), 1e-3, 1e-5);
    });

    it('the zoo models with BatchNorm trace in training mode', () => {
      for (const make of [() => new models.BatchNormCNN(), () => new models.ResNet8()]) {
        manualSeed(0);
        const model = make();
        const step = compileStep(
          model,
          (o, t) => F.crossEntropy(o, t),
          new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
        );
        step(randn([4, 1, 28, 28]), randint(0, 10, [4]));
        assert.equal(step.traced, true, step.traceReason ?? '');
      }
    });

    it('a step that sorts in JavaScript runs through autograd and says why', () => {
      manualSeed(0);
      const model = new nn.Linear(4, 3);
      const step = compileStep(
        model,
        (o, t) => F.crossEntropy(sort(o, 1)[0], t),
        new optim.SGD(model.parameters(), { lr: 0.1 }),
      );
      const loss = step(randn([8, 4]), randint(0, 3, [8]));
      assert.ok(Number.isFinite(loss));
      assert.equal(step.traced, false);
      assert.match(step.traceReason ?? '', /sort computes in JavaScript, which a replay would not repeat/);
    });
  },
);
