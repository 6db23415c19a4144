// PyTorch export, checked with Debian's PyTorch: every zoo model and the export test models are
// written with io.exportPytorch, and bench/check_pytorch_export.py imports each model.py, loads
// model.safetensors with load_state_dict (strict), and compares PyTorch's eval outputs with
// torchlit's on the same input; it also takes one training step in PyTorch. One JSON line per model.
// With --fixtures DIR, the model.py files that PyTorch passed are copied there (the tests compare
// the exporter's output with them: test/fixtures/pytorch_export).
// usage: node dist/bench/pytorch_export.js [models=all] [--fixtures DIR]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, manualSeed, models, noGrad, randn } from '../src/index.js';
import type { Module } from '../src/nn/module.js';
import { Functional, layerZoo } from '../test/helpers/export_models.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cases: Record<string, { create: () => Module; input: number[] }> = {
  ...Object.fromEntries(
    Object.keys(models.zoo).map((name) => [name, { create: () => models.zoo[name].create(1, 10), input: [1, 28, 28] }]),
  ),
  'layer-zoo': { create: layerZoo, input: [2, 6, 5] },
  functional: { create: () => new Functional(), input: [3, 6, 10] },
};
const args = process.argv.slice(2);
const at = args.indexOf('--fixtures');
const fixtures = at >= 0 ? args.splice(at, 2)[1] : undefined;
const wanted = args[0] ? args[0].split(',') : Object.keys(cases);
const root = mkdtempSync(join(tmpdir(), 'torchlit-pytorch-export-'));
const dirs: string[] = [];
for (const name of wanted) {
  const c = cases[name];
  if (!c) throw new Error(`unknown model '${name}': one of ${Object.keys(cases).join(', ')}`);
  manualSeed(1);
  const model = c.create();
  // BatchNorm's running statistics away from 0 and 1.
  for (let i = 0; i < 3; i++) noGrad(() => model.forward(randn([8, ...c.input])));
  const dir = join(root, name);
  io.exportPytorch(model, randn([2, ...c.input]), dir);
  const x = randn([5, ...c.input]);
  model.eval();
  const y = noGrad(() => model.forward(x));
  io.saveSafetensors(join(dir, 'check.safetensors'), { input: x, output: y });
  dirs.push(dir);
}
const report = execFileSync('/usr/bin/python3', [join(repo, 'bench', 'check_pytorch_export.py'), ...dirs], {
  encoding: 'utf8',
});
process.stdout.write(report);
if (fixtures) {
  mkdirSync(fixtures, { recursive: true });
  for (const line of report.trim().split('\n')) {
    const r = JSON.parse(line) as { model: string; 'within_1e-5': boolean; train_step: boolean };
    if (r['within_1e-5'] && r.train_step)
      copyFileSync(join(root, r.model, 'model.py'), join(fixtures, `${r.model}.py`));
  }
}
