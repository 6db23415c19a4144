import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nn, optim, zeros } from '../src/index.js';
import { fixtureDir } from './helpers/fixtures.js';

const S = optim.lr_scheduler;
type Args = Record<string, unknown>;
interface Row {
  lr: number[];
  momentum?: number[];
  beta1?: number[];
}
interface Case {
  name: string;
  args: Args;
  optimizer: 'sgd' | 'adam';
  steps?: number;
  metrics?: number[];
  rows: Row[];
}
const fixture = JSON.parse(readFileSync(join(fixtureDir, 'schedulers.json'), 'utf8')) as {
  cases: Case[];
  errors: { case: string; error: string | null }[];
};

const LAMBDAS: Record<string, (e: number) => number> = {
  pow095: (e) => 0.95 ** e,
  inverse: (e) => 1 / (e + 1),
  halve_every_3: (e) => (e % 3 === 0 ? 0.5 : 1.0),
};

function optimizer(kind: 'sgd' | 'adam'): optim.Optimizer<{ lr: number }> {
  const groups = [
    { params: [new nn.Parameter(zeros([2]))], lr: 0.1 },
    { params: [new nn.Parameter(zeros([3]))], lr: 0.02 },
  ];
  return kind === 'adam' ? new optim.Adam(groups, { lr: 0.1 }) : new optim.SGD(groups, { lr: 0.1, momentum: 0.9 });
}

/** PyTorch's keyword arguments as torchlit's options (snake_case to camelCase; T_max to tMax). */
function options(args: Args, skip: string[] = []): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) {
    if (skip.includes(k)) continue;
    const name = k.replace(/^T_/, 't_').replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    out[name] = v;
  }
  return out;
}

function build(name: string, opt: optim.Optimizer<{ lr: number }>, args: Args): optim.lr_scheduler.Scheduler {
  const a = args as Record<string, never>;
  switch (name) {
    case 'StepLR':
      return new S.StepLR(opt, a.step_size, options(args, ['step_size']));
    case 'MultiStepLR':
      return new S.MultiStepLR(opt, a.milestones, options(args, ['milestones']));
    case 'ConstantLR':
      return new S.ConstantLR(opt, options(args));
    case 'LinearLR':
      return new S.LinearLR(opt, options(args));
    case 'ExponentialLR':
      return new S.ExponentialLR(opt, a.gamma);
    case 'PolynomialLR':
      return new S.PolynomialLR(opt, options(args));
    case 'LambdaLR':
    case 'MultiplicativeLR': {
      const fn = args.lr_lambda as string | string[];
      const lambdas = Array.isArray(fn) ? fn.map((f) => LAMBDAS[f]) : LAMBDAS[fn];
      return name === 'LambdaLR' ? new S.LambdaLR(opt, lambdas) : new S.MultiplicativeLR(opt, lambdas);
    }
    case 'CosineAnnealingLR':
      return new S.CosineAnnealingLR(opt, a.T_max, options(args, ['T_max']));
    case 'CosineAnnealingWarmRestarts':
      return new S.CosineAnnealingWarmRestarts(opt, a.T_0, options(args, ['T_0']));
    case 'SequentialLR': {
      const subs = (args.schedulers as [string, Args][]).map(
        ([n, s]) => build(n, opt, s) as optim.lr_scheduler.LRScheduler,
      );
      return new S.SequentialLR(opt, subs, a.milestones);
    }
    case 'ChainedScheduler':
      return new S.ChainedScheduler((args.schedulers as [string, Args][]).map(([n, s]) => build(n, opt, s)));
    case 'OneCycleLR':
      return new S.OneCycleLR(opt, a.max_lr, options(args, ['max_lr']));
    case 'CyclicLR':
      return new S.CyclicLR(opt, a.base_lr, a.max_lr, options(args, ['base_lr', 'max_lr']));
    case 'ReduceLROnPlateau':
      return new S.ReduceLROnPlateau(opt, options(args));
  }
  throw new Error(name);
}

type Group = { lr: number; momentum?: number; betas?: [number, number] };

function snapshot(opt: optim.Optimizer<{ lr: number }>, like: Row): Row {
  const groups = opt.paramGroups as unknown as Group[];
  const row: Row = { lr: groups.map((g) => g.lr) };
  if (like.momentum) row.momentum = groups.map((g) => g.momentum!);
  if (like.beta1) row.beta1 = groups.map((g) => g.betas![0]);
  return row;
}

/** Steps a scheduler through its case, returning the rows; from `resumeAt` on, a fresh one loaded from the state. */
function run(c: Case, resumeAt = Infinity): Row[] {
  let opt = optimizer(c.optimizer);
  let sched = build(c.name, opt, c.args);
  const rows = [snapshot(opt, c.rows[0])];
  const steps = c.metrics?.length ?? c.steps!;
  for (let i = 0; i < steps; i++) {
    if (i === resumeAt) {
      const state = JSON.parse(JSON.stringify(sched.stateDict())) as optim.lr_scheduler.SchedulerState;
      const groups = JSON.parse(JSON.stringify(opt.paramGroups.map(({ params: _, ...g }) => g))) as Group[];
      opt = optimizer(c.optimizer);
      sched = build(c.name, opt, c.args);
      opt.paramGroups.forEach((g, j) => Object.assign(g, groups[j]));
      sched.loadStateDict(state);
    }
    if (c.metrics) (sched as optim.lr_scheduler.ReduceLROnPlateau).step(c.metrics[i]);
    else sched.step();
    rows.push(snapshot(opt, c.rows[0]));
  }
  return rows;
}

/** Equal to PyTorch's rate, or within 4 units in the last place where libm's cos or pow round differently. */
function assertRows(actual: Row[], expected: Row[], label: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => {
    for (const k of ['lr', 'momentum', 'beta1'] as const) {
      const want = expected[i][k];
      if (!want) continue;
      row[k]!.forEach((v, g) => {
        const tol = 4 * Number.EPSILON * Math.abs(want[g]);
        assert.ok(Math.abs(v - want[g]) <= tol, `${label} step ${i} ${k}[${g}]: ${v} vs PyTorch ${want[g]}`);
      });
    }
  });
}

describe('learning-rate schedulers against PyTorch 1.13, step by step', () => {
  for (const c of fixture.cases) {
    const label = `${c.name}(${JSON.stringify(c.args)})${c.optimizer === 'adam' ? ' on Adam' : ''}`;
    it(label, () => {
      assertRows(run(c), c.rows, label);
      const half = Math.floor((c.metrics?.length ?? c.steps!) / 2);
      assertRows(run(c, half), c.rows, `${label}, resumed from its state at step ${half}`);
    });
  }

  it('most rates are bit for bit PyTorch’s', () => {
    let same = 0;
    let total = 0;
    for (const c of fixture.cases)
      run(c).forEach((row, i) =>
        row.lr.forEach((v, g) => {
          total++;
          if (v === c.rows[i].lr[g]) same++;
        }),
      );
    assert.ok(same / total > 0.95, `${same} of ${total} identical`);
  });
});

describe('scheduler errors', () => {
  const message = (label: string) => {
    const e = fixture.errors.find((x) => x.case === label)!.error!;
    return e.slice(e.indexOf(': ') + 2);
  };
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  it('refuse what PyTorch refuses, with its message', () => {
    assert.throws(
      () => new S.ConstantLR(optimizer('sgd'), { factor: 2 }),
      new RegExp(escape(message('ConstantLR factor 2').replace('.', ''))),
    );
    assert.throws(
      () => new S.CosineAnnealingWarmRestarts(optimizer('sgd'), 0),
      new RegExp(escape(message('CosineAnnealingWarmRestarts T_0 0'))),
    );
    assert.throws(() => new S.OneCycleLR(optimizer('sgd'), 0.1), new RegExp(escape(message('OneCycleLR no steps'))));
    assert.throws(
      () => new S.OneCycleLR(optimizer('sgd'), 0.1, { totalSteps: 10, pctStart: 1.5 }),
      new RegExp(escape(message('OneCycleLR pct_start 1.5'))),
    );
    assert.throws(
      () => new S.ReduceLROnPlateau(optimizer('sgd'), { factor: 1 }),
      new RegExp(escape(message('ReduceLROnPlateau factor 1'))),
    );
    assert.throws(
      () => new S.SequentialLR(optimizer('sgd'), [new S.StepLR(optimizer('sgd'), 2)], [1]),
      new RegExp(escape(message('SequentialLR milestones'))),
    );
    const o = optimizer('sgd');
    const s = new S.OneCycleLR(o, 0.1, { totalSteps: 3 });
    assert.throws(
      () => {
        for (let i = 0; i < 4; i++) s.step();
      },
      new RegExp(escape(message('OneCycleLR past total_steps'))),
    );
    // PyTorch builds it and fails at the first step with ZeroDivisionError; torchlit refuses it when built.
    assert.equal(fixture.errors.find((x) => x.case === 'LinearLR start_factor 0')!.error, null);
  });

  it('refuse what torchlit does not do, and unknown options', () => {
    assert.throws(() => new S.StepLR(optimizer('sgd'), 2, { gama: 0.5 } as never), /StepLR: unknown option 'gama'/);
    assert.throws(() => new S.StepLR(optimizer('sgd'), 2).step(3), /not supported: an epoch argument/);
    assert.throws(() => new S.LinearLR(optimizer('sgd'), { startFactor: 0 }), /startFactor 0 divides by zero/);
    assert.throws(
      () => new S.CyclicLR(optimizer('adam'), 0.01, 0.1),
      /optimizer must support momentum with `cycle_momentum`/,
    );
    assert.throws(() => new S.StepLR(optimizer('sgd'), 2).loadStateDict({ lastEpoch: 1 }), /the state has no/);
    assert.throws(
      () => new S.StepLR(optimizer('sgd'), 2).loadStateDict(new S.ExponentialLR(optimizer('sgd'), 0.5).stateDict()),
      /StepLR.loadStateDict: (unknown key|the state has no)/,
    );
  });
});
