// A PyTorch-trained BatchNorm model, evaluated in torchlit: bench/torch_models.py trains bn-cnn or
// resnet8 for an epoch on Fashion-MNIST and saves its state dict (running statistics and
// num_batches_tracked included) as safetensors; torchlit loads it into the same zoo model and
// evaluates the test set. Prints one JSON line per model with both accuracies.
// usage: node dist/bench/pytorch_weights.js [models=bn-cnn,resnet8] [epochs=1]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataLoader, datasets, evaluate, F, io } from '../src/index.js';
import { createModel, newRunConfig, transformFor } from '../src/run/setup.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const names = (process.argv[2] ?? 'bn-cnn,resnet8').split(',');
const epochs = process.argv[3] ?? '1';
const shared = join(repo, '..', 'shared', 'datasets', 'fashion-mnist');
const root = existsSync(shared) ? shared : '/usr/share/datasets/fashion-mnist';
const dir = mkdtempSync(join(tmpdir(), 'torchlit-weights-'));

for (const name of names) {
  const file = join(dir, `${name}.safetensors`);
  const out = execFileSync(
    '/usr/bin/python3',
    [join(repo, 'bench', 'torch_models.py'), name, root, epochs, '128', '2', file],
    {
      encoding: 'utf8',
    },
  );
  const torch = JSON.parse(out.trim().split('\n').pop()!) as { test_acc: number; test_loss: number };
  const cfg = newRunConfig(name, {});
  const model = createModel(cfg);
  io.loadModel(model, file);
  const test = await datasets.FashionMNIST({ train: false, root, transform: transformFor(cfg) });
  const r = evaluate(model, new DataLoader(test, { batchSize: 1000 }), (o, t) => F.crossEntropy(o, t));
  console.log(
    JSON.stringify({
      model: name,
      epochs: Number(epochs),
      pytorch_test_acc: +(torch.test_acc * 100).toFixed(2),
      torchlit_test_acc: +r.accuracy.toFixed(2),
      pytorch_test_loss: torch.test_loss,
      torchlit_test_loss: +r.loss.toFixed(4),
    }),
  );
}
