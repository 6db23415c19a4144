// Trains each zoo model with its tutorial's settings, as `torchlit train` does, and prints one JSON
// line per model: test accuracy against the bar the workflow issue sets (PyTorch's figure beside it).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/index.js';
import { runTraining } from '../src/run/run_training.js';
import { newRunConfig } from '../src/run/setup.js';

const bars: Record<string, { target: number; pytorch: string }> = {
  net: { target: 96.5, pytorch: '96.9' },
  mlp: { target: 93, pytorch: '93.8' },
  'fmnist-v0': { target: 80, pytorch: '80.6-82.7' },
  'fmnist-v1': { target: 80, pytorch: '80.8-83.1' },
  tinyvgg: { target: 87.5, pytorch: '88.4' },
  lenet: { target: 85.5, pytorch: '86.9' },
};

const only = process.argv.slice(2);
const root = mkdtempSync(join(tmpdir(), 'torchlit-accuracy-'));
for (const [model, bar] of Object.entries(bars)) {
  if (only.length && !only.includes(model)) continue;
  const cfg = newRunConfig(model, {});
  const r = await runTraining(cfg, join(root, model), { resume: false, log: null });
  console.log(
    JSON.stringify({
      model,
      dataset: cfg.dataset,
      epochs: cfg.epochs,
      batch: cfg.batchSize,
      optimizer: cfg.optimizer,
      lr: cfg.lr,
      test_accuracy: Number(r.test.accuracy.toFixed(2)),
      test_loss: Number(r.test.loss.toFixed(4)),
      train_time_s: Number(r.trainTimeS.toFixed(2)),
      target: bar.target,
      pytorch_accuracy: bar.pytorch,
      pass: r.test.accuracy >= bar.target,
    }),
  );
}
