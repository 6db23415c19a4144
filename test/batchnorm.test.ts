import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  compileStep,
  F,
  io,
  manualSeed,
  nn,
  optim,
  randint,
  randn,
  tensor,
  type DType,
  type Tensor,
} from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { tempDir } from './helpers/data.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_batchnorm_fixtures.py writes for each configuration. */
interface BatchNormCase {
  class: 'BatchNorm1d' | 'BatchNorm2d';
  shape: number[];
  options: { eps?: number; momentum?: number | null; affine?: boolean; track_running_stats?: boolean };
  dtype: DType;
  repr: string;
  keys: string[];
  weight: number[] | null;
  bias: number[] | null;
  w_out: number[];
  steps: {
    input: number[];
    output: number[];
    grad_input: number[];
    grad_weight: number[] | null;
    grad_bias: number[] | null;
  }[];
  running_mean: number[] | null;
  running_var: number[] | null;
  num_batches_tracked: number | null;
  eval_input: number[];
  eval_output: number[];
}

const cases = JSON.parse(readFileSync(`${fixtureDir}batchnorm.json`, 'utf8')) as BatchNormCase[];

function build(c: BatchNormCase): nn.BatchNorm1d | nn.BatchNorm2d {
  const o = c.options;
  const opts: nn.BatchNormOptions = {
    ...(o.eps !== undefined && { eps: o.eps }),
    ...(o.momentum !== undefined && { momentum: o.momentum }),
    ...(o.affine !== undefined && { affine: o.affine }),
    ...(o.track_running_stats !== undefined && { trackRunningStats: o.track_running_stats }),
  };
  const bn = c.class === 'BatchNorm1d' ? new nn.BatchNorm1d(c.shape[1], opts) : new nn.BatchNorm2d(c.shape[1], opts);
  bn.to(c.dtype);
  if (bn.weight && c.weight) bn.weight.data.set(c.weight);
  if (bn.bias && c.bias) bn.bias.data.set(c.bias);
  return bn;
}

describe('BatchNorm against PyTorch', () => {
  for (const c of cases) {
    it(`${c.repr} ${c.dtype} on [${c.shape.join(', ')}]`, () => {
      const bn = build(c);
      assert.equal(bn.toString(), c.repr);
      assert.deepEqual(Object.keys(bn.stateDict()), c.keys);
      const [rtol, atol] = c.dtype === 'float64' ? [1e-10, 1e-11] : [1e-4, 2e-5];
      const wOut = tensor(c.w_out, { dtype: c.dtype }).reshape(...c.shape);
      for (const [i, s] of c.steps.entries()) {
        const x = tensor(s.input, { dtype: c.dtype })
          .reshape(...c.shape)
          .requiresGrad_();
        if (bn.weight) bn.weight.grad = null;
        if (bn.bias) bn.bias.grad = null;
        const y = bn.forward(x);
        assertClose(y, s.output, rtol, atol, `output ${i}`);
        y.mul(wOut).sum().backward();
        assertClose(x.grad!, s.grad_input, rtol, atol, `input gradient ${i}`);
        if (bn.weight) assertClose(bn.weight.grad!, s.grad_weight!, rtol, atol, `weight gradient ${i}`);
        if (bn.bias) assertClose(bn.bias.grad!, s.grad_bias!, rtol, atol, `bias gradient ${i}`);
      }
      if (c.running_mean) assertClose(bn.running_mean!, c.running_mean, rtol, atol, 'running_mean');
      if (c.running_var) assertClose(bn.running_var!, c.running_var, rtol, atol, 'running_var');
      if (c.num_batches_tracked !== null) {
        assert.equal(bn.num_batches_tracked!.dtype, 'int64');
        assert.equal(bn.num_batches_tracked!.item(), c.num_batches_tracked);
      }
      bn.eval();
      assertClose(
        bn.forward(tensor(c.eval_input, { dtype: c.dtype }).reshape(...c.shape)),
        c.eval_output,
        rtol,
        atol,
        'eval',
      );
    });
  }

  it('buffers travel with the state dict, through safetensors, and into a fresh model', () => {
    manualSeed(2);
    const make = () =>
      new nn.Sequential(
        new nn.Conv2d(1, 4, 3),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.Flatten(),
        new nn.Linear(4 * 26 * 26, 10),
      );
    const model = make();
    model.train();
    for (let i = 0; i < 3; i++) model.forward(randn([8, 1, 28, 28]));
    assert.deepEqual(
      [...model.namedBuffers()].map(([k]) => k),
      ['1.running_mean', '1.running_var', '1.num_batches_tracked'],
    );
    assert.deepEqual(Object.keys(model.stateDict()), [
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
      '4.weight',
      '4.bias',
    ]);
    const path = join(tempDir(), 'bn.safetensors');
    io.saveModel(model, path);
    const fresh = make();
    io.loadModel(fresh, path);
    const bn = fresh[1] as nn.BatchNorm2d;
    assert.equal(bn.num_batches_tracked!.item(), 3);
    assert.equal(bn.num_batches_tracked!.dtype, 'int64');
    assert.deepEqual(bn.running_var!.toArray(), (model[1] as nn.BatchNorm2d).running_var!.toArray());
    const x = randn([2, 1, 28, 28]);
    model.eval();
    fresh.eval();
    assert.deepEqual(fresh.forward(x).toArray(), model.forward(x).toArray());
    assert.ok(
      fresh
        .to('float64')
        .buffers()
        .every((b) => b.dtype === (b === bn.num_batches_tracked ? 'int64' : 'float64')),
    );
  });

  for (const momentum of [0.1, null]) {
    it(`a compiled step traces BatchNorm in training mode (momentum ${momentum}): the same weights and running statistics as eager steps`, () => {
      const make = () => {
        manualSeed(4);
        return new nn.Sequential(
          new nn.Conv2d(1, 4, 3, { padding: 1, bias: false }),
          new nn.BatchNorm2d(4, { momentum }),
          new nn.ReLU(),
          new nn.AdaptiveAvgPool2d(2),
          new nn.Flatten(),
          new nn.Linear(4 * 2 * 2, 3),
        );
      };
      const model = make();
      const twin = make();
      const lossFn = (o: Tensor, t: Tensor) => F.crossEntropy(o, t);
      const step = compileStep(model, lossFn, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }));
      const twinOpt = new optim.SGD(twin.parameters(), { lr: 0.1, momentum: 0.9 });
      manualSeed(5);
      for (let i = 0; i < 4; i++) {
        const x = randn([8, 1, 8, 8]);
        const y = randint(0, 3, [8]);
        const loss = step(x, y);
        if (step.compiled) assert.equal(step.traced, true, step.traceReason ?? '');
        twinOpt.zeroGrad();
        const eager = lossFn(twin.forward(x), y);
        eager.backward();
        twinOpt.step();
        assertClose([loss], [eager.item()], 1e-4, 1e-5, `loss of step ${i}`);
      }
      const bn = model[1] as nn.BatchNorm2d;
      const twinBn = twin[1] as nn.BatchNorm2d;
      assert.equal(bn.num_batches_tracked!.item(), 4, 'each step updates the running statistics once');
      assertClose(bn.running_mean!.toArray(), twinBn.running_mean!.toArray(), 1e-4, 1e-5);
      assertClose(bn.running_var!.toArray(), twinBn.running_var!.toArray(), 1e-4, 1e-5);
      assertClose(bn.weight!.toArray(), twinBn.weight!.toArray(), 1e-4, 1e-5);
    });
  }

  it('in eval mode a traced step reads the running statistics as they are now and leaves them', () => {
    manualSeed(4);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.Flatten(),
      new nn.Linear(4 * 8 * 8, 3),
    );
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const step = compileStep(model, (o: Tensor, t: Tensor) => F.crossEntropy(o, t), opt);
    const bn = model[1] as nn.BatchNorm2d;
    const x = randn([8, 1, 8, 8]);
    const y = randint(0, 3, [8]);
    model.eval();
    const before = bn.running_mean!.toArray();
    step(x, y);
    step(x, y);
    if (step.compiled) assert.equal(step.traced, true, step.traceReason ?? '');
    assert.deepEqual(bn.running_mean!.toArray(), before, 'eval mode leaves them');
    bn.running_mean!.data.fill(0.5);
    const eager = F.crossEntropy(model.forward(x), y).item();
    assertClose([step(x, y)], [eager], 1e-5, 1e-6, 'a traced eval step reads the running statistics as they are now');
  });
});
