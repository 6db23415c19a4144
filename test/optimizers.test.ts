import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { nn, optim, tensor, Tensor } from '../src/index.js';
import { assertClose } from './helpers/assert.js';
import { fixtureDir } from './helpers/fixtures.js';

/** What scripts/make_optimizer_fixtures.py writes. */
interface Trajectories {
  p0: number[];
  grads: number[][];
  configs: Record<
    string,
    { class: string; options: Record<string, unknown>; steps: number[][]; state: Record<string, number | number[]> }
  >;
}

const ref = JSON.parse(readFileSync(`${fixtureDir}optimizers.json`, 'utf8')) as Trajectories;

const CLASSES = {
  RMSprop: optim.RMSprop,
  Adagrad: optim.Adagrad,
  Adadelta: optim.Adadelta,
  Adamax: optim.Adamax,
  NAdam: optim.NAdam,
  RAdam: optim.RAdam,
};

/** PyTorch's keyword names as torchlit spells them. */
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function make(cls: string, p: Tensor, options: Record<string, unknown>): optim.Optimizer<object> {
  const opts = Object.fromEntries(Object.entries(options).map(([k, v]) => [camel(k), v]));
  const Ctor = CLASSES[cls as keyof typeof CLASSES] as unknown as new (
    ps: Tensor[],
    o: object,
  ) => optim.Optimizer<object>;
  return new Ctor([p], opts);
}

describe('RMSprop, Adagrad, Adadelta, Adamax, NAdam and RAdam against PyTorch 1.13', () => {
  for (const [name, cfg] of Object.entries(ref.configs)) {
    it(`${name}: eight steps and the state they leave match torch.optim.${cfg.class}`, () => {
      const p = new nn.Parameter(tensor(ref.p0, { dtype: 'float32' }));
      const opt = make(cfg.class, p, cfg.options);
      ref.grads.forEach((g, i) => {
        p.grad = tensor(g, { dtype: 'float32' });
        opt.step();
        assert.deepEqual(p.grad.toArray(), tensor(g, { dtype: 'float32' }).toArray(), 'the gradient is left as it was');
        assertClose(p, cfg.steps[i], 2e-5, 1e-6, `step ${i + 1}`);
      });
      const state = opt.stateDict().state[0];
      assert.deepEqual(Object.keys(state).sort(), Object.keys(cfg.state).sort(), 'state keys');
      for (const [k, v] of Object.entries(cfg.state)) {
        const mine = state[k];
        if (typeof v === 'number') assertClose([mine as number], [v], 1e-6, 1e-9, k);
        else assertClose((mine as Tensor).toArray(), v, 2e-5, 1e-6, k);
      }
    });
  }

  it('a state dict restores the trajectory: four steps, save, a fresh optimizer, four more', () => {
    for (const [name, cfg] of Object.entries(ref.configs)) {
      const p = new nn.Parameter(tensor(ref.p0, { dtype: 'float32' }));
      const opt = make(cfg.class, p, cfg.options);
      ref.grads.slice(0, 4).forEach((g) => {
        p.grad = tensor(g, { dtype: 'float32' });
        opt.step();
      });
      const fresh = make(cfg.class, p, cfg.options);
      fresh.loadStateDict(opt.stateDict());
      ref.grads.slice(4).forEach((g) => {
        p.grad = tensor(g, { dtype: 'float32' });
        fresh.step();
      });
      assertClose(p, cfg.steps[7], 2e-5, 1e-6, name);
    }
  });

  it('unknown and unsupported options are named, bad values refused', () => {
    const p = new nn.Parameter(tensor([1], { dtype: 'float32' }));
    assert.throws(() => new optim.RMSprop([p], { lr: 0.1, momentun: 0.9 } as never), /momentun/);
    assert.throws(() => new optim.Adagrad([p], { foreach: true } as never), /not supported: foreach/);
    assert.throws(() => new optim.Adadelta([p], { rho: 1.5 }), /Invalid rho value: 1.5/);
    assert.throws(() => new optim.NAdam([p], { betas: [0.9, 1] }), /Invalid beta parameter at index 1: 1/);
    assert.throws(() => new optim.RAdam([p], { lr: -1 }), /Invalid learning rate: -1/);
  });
});
