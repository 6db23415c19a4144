import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  DataLoader,
  datasets,
  F,
  fit,
  manualSeed,
  models,
  optim,
  Subset,
  transforms,
  type Tensor,
} from '../../src/index.js';
import { TimeBudget, type SchedulePlan } from '../../src/train/fit_budget.js';
import { readRunState } from '../../src/train/run_checkpoint.js';
import { tempDir } from '../helpers/data.js';

type Loader = DataLoader<[Tensor, number]>;

describe('TimeBudget', () => {
  it('plans the most steps whose training and tests end within the budget', () => {
    // 9 s left at 0.1 s a step and 0.5 s a test: 55 more steps (6 epochs of 10, 6 tests) take 8.5 s, 56 take 9.1.
    const b = new TimeBudget(10, 10, 100, () => 0.5);
    assert.deepEqual(b.plan(5, 1, 0.1), { epochs: 6, stepsPerEpoch: 10, totalSteps: 60 });
    // The last epoch may be cut short: with no tests, 9 s buy 90 steps more.
    assert.deepEqual(new TimeBudget(10, 40, 100, () => 0).plan(5, 1, 0.1), {
      epochs: 3,
      stepsPerEpoch: 40,
      totalSteps: 95,
    });
    // At most maxEpochs; never fewer steps than taken.
    assert.equal(new TimeBudget(1000, 10, 3, () => 0).plan(5, 1, 0.1).totalSteps, 30);
    assert.equal(new TimeBudget(1, 10, 3, () => 0).plan(7, 2, 0.1).totalSteps, 7);
  });

  it('leaves time for the test passes that follow the run (a test-time augmented test)', () => {
    // As above, and 5 passes more: 40 more steps, 5 tests and 5 after take exactly 9 s; the next step opens a 6th epoch.
    assert.deepEqual(new TimeBudget(10, 10, 100, () => 0.5, 5).plan(5, 1, 0.1), {
      epochs: 5,
      stepsPerEpoch: 10,
      totalSteps: 45,
    });
    // 1.5 passes after: 52 more steps, 6 tests and 1.5 after take 8.95 s, one step more 9.05 s.
    assert.equal(new TimeBudget(10, 10, 100, () => 0.5, 1.5).plan(5, 1, 0.1).totalSteps, 57);
  });

  it('times steps after the first three, for at least 5 steps and 3% of the budget', () => {
    const b = new TimeBudget(100, 1000, 10, () => 0);
    const clock = (step: number) => 1 + step * 0.2;
    for (let s = 1; s < 3; s++) assert.equal(b.observe(s, clock(s)), null);
    assert.equal(b.observe(3, clock(3)), null);
    // 3 s (3% of 100 s) of timing: 15 steps at 0.2 s.
    for (let s = 4; s < 18; s++) assert.equal(b.observe(s, clock(s)), null, `step ${s}`);
    const plan = b.observe(18, clock(18));
    assert.ok(plan, 'planned after 3 s of timed steps');
    assert.equal(plan.totalSteps, 18 + Math.floor((100 - clock(18)) / 0.2));
  });

  it('lays a planned run out again where its steps now take another time', () => {
    const b = new TimeBudget(10, 10, 100, () => 0.5);
    const plan = b.plan(5, 1, 0.1);
    assert.equal(plan.totalSteps, 60);
    // 15 steps and 2 tests later, at the planned speed: 3.5 s.
    assert.equal(b.replan(20, 3.5, 0.1, plan), null, 'the planned speed: the plan stands');
    assert.equal(b.replan(20, 3.5, 0.1005, plan), null, 'within 1% of the steps: the plan stands');
    // 6.5 s left at 0.21 s a step and 0.5 s a test: 23 more steps and 3 tests take 9.83 s in all.
    assert.deepEqual(b.replan(20, 3.5, 0.21, plan), { epochs: 5, stepsPerEpoch: 10, totalSteps: 43 });
    assert.ok(b.replan(20, 3.5, 0.05, plan)!.totalSteps > plan.totalSteps, 'faster: more steps fit');
    // 55 steps and 6 tests in 9 s: at 0.21 s a step, 57 steps fit, too few left to end a schedule on.
    assert.equal(b.plan(55, 9, 0.21).totalSteps, 57);
    assert.equal(b.replan(55, 9, 0.21, plan), null, 'near the end the plan stands');
  });

  it('refuses a budget that is not a positive number of seconds', () => {
    for (const bad of [0, -1, NaN, Infinity])
      assert.throws(() => new TimeBudget(bad, 10, 1, () => 0), /timeBudgetS must be a positive number/);
  });
});

describe('fit with a time budget', () => {
  let trainLoader: Loader;
  let testLoader: Loader;
  before(async () => {
    const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
    const train = await datasets.MNIST({ train: true, transform });
    const test = await datasets.MNIST({ train: false, transform });
    const first = (n: number) => Array.from({ length: n }, (_, i) => i);
    trainLoader = new DataLoader(new Subset(train, first(320)), { batchSize: 32, shuffle: true });
    testLoader = new DataLoader(new Subset(test, first(200)), { batchSize: 100 });
  });

  /**
   * Trains Net on the budget; `killHalfway` throws half way through the planned steps; `slowBy`
   * seconds are spent after each batch once the plan is made (the machine slowing down).
   */
  const run = (dir: string, resume: boolean, budget: number, killHalfway = false, slowBy = 0) => {
    manualSeed(1);
    const model = new models.Net();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
    const plans: SchedulePlan[] = [];
    let scheduler: optim.lr_scheduler.OneCycleLR | null = null;
    let steps = 0;
    /** The rate after each batch's scheduler step: what the next batch trains with. */
    const rates: number[] = [];
    const lines: string[] = [];
    try {
      const r = fit(model, {
        trainLoader,
        testLoader,
        optimizer,
        lossFn: F.nllLoss,
        epochs: 400,
        timeBudgetS: budget,
        scheduler: (plan) => {
          plans.push(plan);
          return (scheduler = new optim.lr_scheduler.OneCycleLR(optimizer, 0.05, { totalSteps: plan.totalSteps }));
        },
        checkpointDir: dir,
        checkpointEvery: 5,
        resume,
        log: (l) => lines.push(l),
        progress: false,
        callbacks: {
          onBatchEnd: () => {
            steps++;
            rates.push(optimizer.paramGroups[0].lr);
            if (killHalfway && plans.length >= 2 && steps === Math.floor(plans[1].totalSteps / 2))
              throw new Error('killed');
            if (slowBy > 0 && plans.length >= 2) {
              const until = performance.now() + slowBy * 1000;
              while (performance.now() < until);
            }
          },
        },
      });
      return { r, plans, scheduler: scheduler!, steps, lines, rates };
    } catch (e) {
      if ((e as Error).message !== 'killed') throw e;
      return { r: null, plans, scheduler: scheduler!, steps, lines, rates };
    }
  };

  it('lays the schedule out over the steps that fit, and ends it on time', () => {
    const dir = tempDir();
    const { r, plans, scheduler, steps, lines, rates } = run(dir, false, 2);
    assert.ok(plans.length >= 2, 'a provisional scheduler, then the planned one (and any laid out again)');
    assert.deepEqual(plans[0], { epochs: 400, stepsPerEpoch: 10, totalSteps: 4000 });
    const plan = plans[plans.length - 1];
    assert.ok(plan.totalSteps > 8 && plan.totalSteps < 4000, `planned ${plan.totalSteps} steps`);
    assert.equal(steps, plan.totalSteps, 'trained exactly the planned steps');
    assert.equal(scheduler.lastEpoch, plan.totalSteps, 'the schedule ran to its end');
    // The last batch trains at OneCycleLR's lowest rate, initialLr / finalDivFactor: 0.05 / 25 / 1e4.
    const last = rates[plan.totalSteps - 2];
    assert.ok(Math.abs(last - 0.05 / 25 / 1e4) < 1e-12, `the last batch's lr ${last}`);
    assert.equal(r!.history.testAccuracy.length, plan.epochs + 1, 'a test before training and after every epoch');
    assert.ok(r!.trainTimeS < 2 * 2, `took ${r!.trainTimeS} s of a 2 s budget`);
    assert.ok(lines.some((l) => l.startsWith(`Time budget 2 s: ${plans[1].totalSteps} steps`)));
    const state = readRunState(dir);
    assert.deepEqual(state.plan, plan);
    assert.equal(state.step, plan.totalSteps);
    assert.equal(state.epochComplete, true);
  });

  it('lays the rest of the schedule out again when the steps slow down, and still ends on time', () => {
    const { r, plans, scheduler, steps, lines, rates } = run(tempDir(), false, 2, false, 0.01);
    assert.ok(plans.length > 2, `laid out again (${plans.length - 1} plans)`);
    const plan = plans[plans.length - 1];
    assert.ok(plan.totalSteps < plans[1].totalSteps, `fewer steps fit: ${plans[1].totalSteps} -> ${plan.totalSteps}`);
    assert.equal(steps, plan.totalSteps, 'trained exactly the last plan');
    assert.equal(scheduler.lastEpoch, plan.totalSteps, 'the schedule ran to its end');
    const last = rates[plan.totalSteps - 2];
    assert.ok(Math.abs(last - 0.05 / 25 / 1e4) < 1e-12, `the last batch's lr ${last}`);
    assert.ok(lines.some((l) => l.includes('at the speed of the last steps')));
    assert.ok(r!.trainTimeS < 2 * 1.25, `took ${r!.trainTimeS} s of a 2 s budget`);
  });

  it('a resumed run keeps the plan it made and completes its schedule', () => {
    const dir = tempDir();
    const first = run(dir, false, 2, true);
    assert.equal(first.r, null);
    const plan = readRunState(dir).plan;
    assert.ok(plan, 'the plan is in the checkpoint once made');
    const resumed = run(dir, true, 2);
    assert.deepEqual(resumed.plans, [plan], 'made once, for the saved plan');
    assert.equal(resumed.scheduler.lastEpoch, plan.totalSteps);
    assert.equal(readRunState(dir).step, plan.totalSteps);
  });

  it('refuses a damaged plan, and a plan made for another batch size, by name', () => {
    const dir = tempDir();
    run(dir, false, 0.5);
    const path = join(dir, 'checkpoint.json');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { plan: SchedulePlan };
    writeFileSync(path, JSON.stringify({ ...saved, plan: { ...saved.plan, epochs: saved.plan.epochs + 1 } }));
    assert.throws(() => readRunState(dir), /plan is .* not a plan of epochs, stepsPerEpoch and totalSteps/);
    writeFileSync(
      path,
      JSON.stringify({
        ...saved,
        plan: { ...saved.plan, stepsPerEpoch: 7, epochs: Math.ceil(saved.plan.totalSteps / 7) },
      }),
    );
    assert.throws(() => run(dir, true, 0.5), /its time budget's plan has 7 batches an epoch, this loader 10/);
  });

  it('refuses test passes after the run that are not a number of passes, or that come without a budget', () => {
    const model = new models.Net();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
    for (const bad of [-1, NaN, Infinity])
      assert.throws(
        () =>
          fit(model, { trainLoader, optimizer, lossFn: F.nllLoss, epochs: 1, timeBudgetS: 5, budgetTestsAfter: bad }),
        /budgetTestsAfter must be a number of test passes, 0 or more/,
      );
    assert.throws(
      () => fit(model, { trainLoader, optimizer, lossFn: F.nllLoss, epochs: 1, budgetTestsAfter: 5 }),
      /budgetTestsAfter leaves time in a time budget; give timeBudgetS too/,
    );
  });
});
