import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { History } from '../../src/index.js';
import { readRunState } from '../../src/train/run_checkpoint.js';
import { assertUsageError, torchlit, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/data.js';

describe('torchlit train: the recipe options and the time budget', () => {
  const dir = tempDir('torchlit-presets-');

  it('refuses bad recipe options with one line naming the option', () => {
    for (const bad of ['0', '-5s', '5 weeks', 'soon', '1e400'])
      assertUsageError(
        torchlit(dir, 'train', '--model', 'mnist-fast', '--time-budget', bad),
        /--time-budget must be a positive duration such as 90s, 5m or 1h/,
      );
    assertUsageError(
      torchlit(dir, 'train', '--label-smoothing', '1.5'),
      /--label-smoothing must be from 0 to 1, got 1.5/,
    );
    assertUsageError(torchlit(dir, 'train', '--weight-decay', '-1'), /--weight-decay must be a number >= 0/);
    assertUsageError(torchlit(dir, 'train', '--schedule', 'cosine'), /--schedule must be one of constant, onecycle/);
    assertUsageError(torchlit(dir, 'train', '--augment', '--no-augment'), /--augment and --no-augment contradict/);
    assertUsageError(torchlit(dir, 'train', '--tta', 'vflip'), /--tta must be one of none, hflip, shift, got 'vflip'/);
    assertUsageError(
      torchlit(dir, 'train', '--model', 'net', '--label-smoothing', '0.1', '--train-size', '64', '--out', 'runs/ls'),
      /--label-smoothing needs cross-entropy; this model's loss is nll/,
    );
    assertUsageError(
      torchlit(dir, 'train', '--model', 'mnist-fast', '--momentum', '0', '--train-size', '64', '--out', 'runs/nm'),
      /--nesterov needs a momentum above 0/,
    );
    for (const refused of ['runs/ls', 'runs/nm']) assert.ok(!existsSync(join(dir, refused)), `${refused} not made`);
  });

  describe('mnist-fast in a 10 s budget', () => {
    let r: CliResult;
    const run = join(dir, 'runs/budget');
    before(() => {
      r = torchlit(
        dir,
        'train',
        '--model',
        'mnist-fast',
        '--train-size',
        '1100',
        '--val-split',
        '100',
        '--time-budget',
        '10s',
        '--tta',
        'none',
        '--log-interval',
        '1',
        '--out',
        'runs/budget',
      );
    });

    it('lays the run out over the steps that fit and ends its OneCycleLR schedule on time', () => {
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /mnist-fast on mnist: SGD lr=0.1 momentum=0.9 nesterov, weight decay 0.0005, OneCycleLR, label smoothing 0.1, augmented, batch 64, at most 100 epochs in 10 s/,
      );
      assert.match(r.stdout, /Time budget 10 s: \d+ steps \(\d+ epochs of 16 batches\) fit/);
      // The plan is made from the first steps, then laid out again as the speed moves: the last one counts.
      const plans = [...r.stdout.matchAll(/Time budget 10 s: (?:at the speed of the last steps, )?(\d+) steps/g)];
      const steps = Number(plans[plans.length - 1][1]);
      const cfg = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(cfg.timeBudgetS, 10);
      assert.ok(steps >= 10, `${steps} steps planned`);
      assert.equal(cfg.epochs, 100);
      const state = readRunState(run);
      assert.equal(state.plan?.totalSteps, steps);
      const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as History;
      assert.equal(history.trainLosses.length, steps, 'every step logged');
      const rates = history.learningRates!;
      assert.equal(rates.length, steps);
      // OneCycleLR from 0.1 / 25, to 0.1, down to 0.1 / 25 / 1e4 at the last step.
      assert.ok(Math.abs(rates[0] - 0.004) < 1e-12, `first rate ${rates[0]}`);
      // It rises towards 0.1; with few steps the peak may fall among the timed first steps, which
      // follow the provisional schedule, so the highest rate may stay below it.
      assert.ok(Math.max(...rates) > 0.05, `peak rate ${Math.max(...rates)}`);
      assert.ok(Math.abs(rates[steps - 1] - 4e-7) < 1e-9, `last rate ${rates[steps - 1]}`);
      assert.ok(history.trainTimeS < 20, `trained ${history.trainTimeS} s of a 10 s budget`);
    });

    it("draws the learning rate under the run's loss curve", () => {
      assert.match(readFileSync(join(run, 'curve.svg'), 'utf8'), />learning rate</);
    });

    it('a resumed budget run keeps its budget', () => {
      assertUsageError(
        torchlit(dir, 'train', '--out', 'runs/budget', '--resume', '--time-budget', '8s'),
        /runs\/budget was trained with timeBudgetS 10, not 8/,
      );
    });
  });

  it("a budget leaves the shift-TTA test after training its time (the preset's own test included)", () => {
    // The TTA test of 10,000 images costs five test passes, about half of this budget; planned as
    // if it were free, the run would take about 1.5 times the budget.
    const r = torchlit(
      dir,
      'train',
      '--model',
      'mnist-fast',
      '--train-size',
      '1024',
      '--time-budget',
      '12s',
      '--out',
      'runs/tb',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(shift test-time augmentation\)/);
    const metrics = JSON.parse(readFileSync(join(dir, 'runs/tb/metrics.json'), 'utf8')) as { trainTimeS: number };
    assert.ok(metrics.trainTimeS < 15, `${metrics.trainTimeS} s, TTA test included, of a 12 s budget`);
  });

  it('--tta shift tests the trained model once more with its shifted images; eval repeats it', () => {
    const args = ['--model', 'mnist-fast', '--train-size', '1024', '--epochs', '1', '--out', 'runs/tta'];
    const r = torchlit(dir, 'train', ...args, '--tta', 'shift');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /shift TTA in the last test/);
    const line = /Test set: Avg\. loss: [\d.]+, Accuracy: (\d+)\/10000 \(\d+%\) \(shift test-time augmentation\)/.exec(
      r.stdout,
    );
    assert.ok(line, r.stdout);
    const run = join(dir, 'runs/tta');
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')) as { correct: number };
    const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as History;
    assert.equal(metrics.correct, Number(line[1]));
    const plain = history.testAccuracy[history.testAccuracy.length - 1];
    assert.notEqual(metrics.correct / 100, plain, 'the shifted test differs from the plain one after the epoch');
    const again = torchlit(dir, 'eval', '--run', 'runs/tta');
    assert.match(again.stdout, new RegExp(`shift test-time augmentation[\\s\\S]*Accuracy: ${metrics.correct}/10000`));
    const without = torchlit(dir, 'eval', '--run', 'runs/tta', '--tta', 'none');
    assert.match(without.stdout, new RegExp(`Accuracy: ${Math.round(plain * 100)}/10000`));
  });
});
