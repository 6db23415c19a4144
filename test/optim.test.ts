import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { F, manualSeed, models, nn, optim, randn, randint, tensor, Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { loadReference } from './helpers/fixtures.js';

const ref = loadReference();

function makeOptimizer(cls: string, p: nn.Parameter, o: Record<string, unknown>): optim.Optimizer<object> {
  const opts = {
    lr: o.lr as number,
    ...(o.momentum !== undefined && { momentum: o.momentum as number }),
    ...(o.dampening !== undefined && { dampening: o.dampening as number }),
    ...(o.nesterov !== undefined && { nesterov: o.nesterov as boolean }),
    ...(o.weight_decay !== undefined && { weightDecay: o.weight_decay as number }),
    ...(o.betas !== undefined && { betas: o.betas as [number, number] }),
    ...(o.eps !== undefined && { eps: o.eps as number }),
    ...(o.amsgrad !== undefined && { amsgrad: o.amsgrad as boolean }),
    ...(o.maximize !== undefined && { maximize: o.maximize as boolean }),
  };
  if (cls === 'SGD') return new optim.SGD([p], opts);
  if (cls === 'Adam') return new optim.Adam([p], opts);
  if (cls === 'AdamW') return new optim.AdamW([p], opts);
  throw new Error(cls);
}

describe('optimizers against PyTorch traces', () => {
  for (const [name, cfg] of Object.entries(ref.configs)) {
    it(`${name}: three steps match torch.optim.${cfg.class}`, () => {
      const p = new nn.Parameter(tensor(ref.p0, { dtype: 'float32' }));
      const opt = makeOptimizer(cfg.class, p, cfg.options);
      ref.grads.forEach((g: number[], i: number) => {
        p.grad = tensor(g, { dtype: 'float32' });
        opt.step();
        assert.deepEqual(
          p.grad.toArray(),
          tensor(g, { dtype: 'float32' }).toArray(),
          'step leaves the gradient as it was',
        );
        assertClose(p, cfg.steps[i], 1e-5, 1e-7, `${name} step ${i + 1}`);
      });
    });
  }

  it('StepLR multiplies the rate by gamma every stepSize epochs', () => {
    const p = new nn.Parameter(tensor([0], { dtype: 'float32' }));
    const opt = new optim.SGD([p], { lr: ref.steplr.lr });
    const sched = new optim.lr_scheduler.StepLR(opt, ref.steplr.step_size, { gamma: ref.steplr.gamma });
    const lrs: number[] = [];
    for (let i = 0; i < ref.steplr.lrs.length; i++) {
      opt.step();
      sched.step();
      lrs.push(sched.getLastLr()[0]);
    }
    assert.deepEqual(lrs, ref.steplr.lrs);
    assert.equal(opt.paramGroups[0].lr, ref.steplr.lrs.at(-1));
  });
});

describe('optimizer state', () => {
  const batch = () => [randn([8, 1, 28, 28]), randint(0, 10, [8])] as const;

  function run(model: nn.Module, opt: optim.Optimizer<object>, steps: number, seed: number): void {
    manualSeed(seed);
    for (let i = 0; i < steps; i++) {
      const [x, y] = batch();
      opt.zeroGrad();
      F.crossEntropy(model.forward(x), y).backward();
      opt.step();
    }
  }

  type MakeOpt = (ps: nn.Parameter[]) => optim.Optimizer<object>;
  for (const [name, make] of [
    ['SGD with momentum', (ps: nn.Parameter[]) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
    ['Adam with AMSGrad', (ps: nn.Parameter[]) => new optim.Adam(ps, { lr: 0.01, amsgrad: true })],
    ['AdamW', (ps: nn.Parameter[]) => new optim.AdamW(ps, { lr: 0.01 })],
  ] as [string, MakeOpt][]) {
    it(`${name}: saving and loading state continues bit for bit`, () => {
      manualSeed(3);
      const a = new models.Network();
      const snapshot = a.stateDict();
      const b = new models.Network();
      b.loadStateDict(snapshot);
      const optA = make(a.parameters());
      run(a, optA, 3, 10);
      run(a, optA, 3, 20);

      const optB = make(b.parameters());
      run(b, optB, 3, 10);
      const saved = { model: b.stateDict(), opt: optB.stateDict() };
      const c = new models.Network();
      c.loadStateDict(saved.model);
      const optC = make(c.parameters());
      optC.loadStateDict(saved.opt);
      run(c, optC, 3, 20);
      for (const [k, v] of Object.entries(a.stateDict())) assert.deepEqual(c.stateDict()[k].toArray(), v.toArray(), k);
    });
  }

  it('stateDict holds every buffer and the step count', () => {
    const p = new nn.Parameter(tensor([1, 2], { dtype: 'float32' }));
    const opt = new optim.Adam([p], { amsgrad: true });
    p.grad = tensor([0.5, -0.5], { dtype: 'float32' });
    opt.step();
    opt.step();
    const sd = opt.stateDict();
    assert.deepEqual(Object.keys(sd.state[0]).sort(), ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step']);
    assert.equal(sd.state[0].step, 2);
    assert.deepEqual(sd.paramGroups[0].params, [0]);
    assert.equal(sd.paramGroups[0].lr, 1e-3);
  });

  it('refuses a state from a different model', () => {
    const big = new optim.SGD(new models.Net().parameters(), { lr: 0.1, momentum: 0.9 });
    const small = new optim.SGD(new models.Network().parameters(), { lr: 0.1, momentum: 0.9 });
    assert.throws(
      () => small.loadStateDict(big.stateDict()),
      /group 0 has 8 parameters in the saved state but 10 here/,
    );
    const p = new nn.Parameter(tensor([1, 2, 3], { dtype: 'float32' }));
    const q = new nn.Parameter(tensor([1, 2], { dtype: 'float32' }));
    const o1 = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = tensor([1, 1, 1], { dtype: 'float32' });
    o1.step();
    const o2 = new optim.SGD([q], { lr: 0.1, momentum: 0.9 });
    assert.throws(
      () => o2.loadStateDict(o1.stateDict()),
      /buffer 'momentum_buffer' of parameter 0 has shape \[3\], the parameter has \[2\]/,
    );
  });

  it('zeroGrad clears gradients and step skips parameters without one', () => {
    const p = new nn.Parameter(tensor([1, 2], { dtype: 'float32' }));
    const q = new nn.Parameter(tensor([3], { dtype: 'float32' }));
    const opt = new optim.SGD([p, q], { lr: 1 });
    p.grad = tensor([1, 1], { dtype: 'float32' });
    opt.step();
    assert.deepEqual(p.toArray(), [0, 1]);
    assert.deepEqual(q.toArray(), [3]);
    opt.zeroGrad();
    assert.equal(p.grad, null);
  });

  it('rejects bad hyper-parameters with the PyTorch message', () => {
    const p = () => [new nn.Parameter(new Tensor(new Float32Array(1), [1], 'float32'))];
    assert.throws(() => new optim.SGD(p(), { lr: -1 }), /Invalid learning rate: -1/);
    assert.throws(() => new optim.Adam(p(), { betas: [1.5, 0.9] }), /Invalid beta parameter at index 0: 1.5/);
    assert.throws(() => new optim.SGD(p(), { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum/);
    assert.throws(() => new optim.SGD([], { lr: 0.1 }), /empty parameter list/);
  });
});

describe('options no optimizer ignores', () => {
  const p = () => new nn.Parameter(tensor([1, 2], { dtype: 'float32' }));
  it('an unknown option, or a PyTorch option torchlit lacks, is an error naming it', () => {
    assert.throws(
      () => new optim.SGD([p()], { lr: 0.1, momentun: 0.9 } as unknown as optim.SGDOptions),
      /SGD: unknown option 'momentun'/,
    );
    assert.throws(
      () => new optim.SGD([p()], { lr: 0.1, foreach: true } as unknown as optim.SGDOptions),
      /SGD: not supported: foreach = true/,
    );
    assert.throws(
      () => new optim.Adam([p()], { fused: true } as Partial<optim.AdamOptions>),
      /Adam: not supported: fused = true/,
    );
    assert.throws(
      () => new optim.AdamW([p()], { amsGrad: true } as Partial<optim.AdamOptions>),
      /AdamW: unknown option 'amsGrad'/,
    );
    const opt = new optim.SGD([p()], { lr: 0.1, foreach: false } as unknown as optim.SGDOptions);
    assert.deepEqual(Object.keys(opt.defaults).sort(), [
      'dampening',
      'lr',
      'maximize',
      'momentum',
      'nesterov',
      'weightDecay',
    ]);
    assert.throws(
      () =>
        opt.addParamGroup({ params: [p()], lr: 0.2, betas: [0.9, 0.99] } as Partial<optim.SGDOptions> & {
          params: nn.Parameter[];
        }),
      /SGD parameter group: unknown option 'betas'/,
    );
  });
});
