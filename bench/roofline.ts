// How fast a model's training step could ever run on torchlit's 128-bit WebAssembly kernels here,
// beside what PyTorch's oneDNN (AVX-512 where the CPU has it) does on the same two cores.
// Prints one JSON line per model. usage: node dist/bench/roofline.js [models=bn-cnn,resnet8]
//
// The ceiling is generous on purpose: every multiply-add of the step runs at the rate of torchlit's
// best dense kernel (a 512x512 matmul, measured here) on every thread, nothing else costs time,
// and every stride-1 3x3 convolution gets Winograd F(4x4, 3x3)'s 4x fewer multiplies in all three
// of its products (forward, input gradient, weight gradient). Where even that is below a ratio
// bar, no kernel written with 128-bit SIMD can reach the bar.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeWasmKernels } from '../src/backend/index.js';
import { matmul, nn, noGrad, randn, withArena, type Tensor } from '../src/index.js';
import { createModel, newRunConfig } from '../src/run/setup.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const names = (process.argv[2] ?? 'bn-cnn,resnet8').split(',');
const RATIO_BAR = 1.5;
const WINOGRAD_F4_SAVING = 4;
/** torchlit's own F(2x2, 3x3): 36 multiplies per 2x2 outputs become 16. */
const WINOGRAD_F2_SAVING = 36 / 16;

interface MacCount {
  /** Multiply-adds of one sample's forward pass. */
  forward: number;
  /** The same, with stride-1 3x3 convolutions divided by Winograd F(4x4, 3x3)'s saving. */
  forwardWinograd: number;
  /** The same with the F(2x2, 3x3) saving torchlit's kernels have. */
  forwardWinogradF2: number;
}

/** Multiply-adds per sample of a 28x28 forward pass, counted from the layers' output shapes. */
function countMacs(model: nn.Module): MacCount {
  const count: MacCount = { forward: 0, forwardWinograd: 0, forwardWinogradF2: 0 };
  const handles = [...model.modules()].map((m) =>
    m.registerForwardHook((mod, _inputs, out) => {
      let macs = 0;
      let winogradFits = false;
      if (mod instanceof nn.Conv2d) {
        const [, oc, oh, ow] = out.shape;
        macs = oc * oh * ow * (mod.inChannels / mod.groups) * mod.kernelSize[0] * mod.kernelSize[1];
        winogradFits = mod.kernelSize.every((k) => k === 3) && mod.stride.every((s) => s === 1) && mod.groups === 1;
      } else if (mod instanceof nn.Linear) {
        macs = mod.inFeatures * mod.outFeatures;
      }
      count.forward += macs;
      count.forwardWinograd += winogradFits ? macs / WINOGRAD_F4_SAVING : macs;
      count.forwardWinogradF2 += winogradFits ? macs / WINOGRAD_F2_SAVING : macs;
    }),
  );
  noGrad(() => model.forward(randn([1, 1, 28, 28])));
  for (const h of handles) h.remove();
  return count;
}

/** Multiply-adds per second of one thread's 512x512 matmul, the best of five runs. */
function gemmRatePerThread(): number {
  const n = 512;
  const a = randn([n, n]);
  const b = randn([n, n]);
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) withArena((): Tensor => matmul(a, b));
    best = Math.max(best, (10 * n ** 3) / ((performance.now() - t0) / 1000));
  }
  return best;
}

function torchSamplesPerS(model: string): number | null {
  const script = join(repo, 'bench', 'torch_models.py');
  const data = join(repo, '..', 'shared', 'datasets', 'fashion-mnist');
  if (!existsSync('/usr/bin/python3')) return null;
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [script, model, existsSync(data) ? data : '/usr/share/datasets/fashion-mnist', '1'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return (JSON.parse(out.trim().split('\n').pop()!) as { samples_per_s: number }).samples_per_s;
  } catch {
    return null;
  }
}

const threads = activeWasmKernels()?.helper ? 2 : 1;
const perThread = gemmRatePerThread();
for (const name of names) {
  const macs = countMacs(createModel(newRunConfig(name, {})));
  // Forward, input gradient and weight gradient: three products of the forward's size each.
  const trainMacs = 3 * macs.forward;
  const trainMacsWinograd = 3 * macs.forwardWinograd;
  const ceiling = (threads * perThread) / trainMacsWinograd;
  const ceilingF2 = (threads * perThread) / (3 * macs.forwardWinogradF2);
  const torch = torchSamplesPerS(name);
  console.log(
    JSON.stringify({
      model: name,
      train_macs_per_sample: Math.round(trainMacs),
      train_macs_per_sample_winograd: Math.round(trainMacsWinograd),
      torchlit_gemm_gmacs_per_thread: +(perThread / 1e9).toFixed(1),
      threads,
      torchlit_ceiling_samples_per_s: Math.round(ceiling),
      torch_samples_per_s: torch,
      torch_gmacs: torch === null ? null : +((torch * trainMacs) / 1e9).toFixed(1),
      bar_samples_per_s: torch === null ? null : Math.round(torch * RATIO_BAR),
      ceiling_ratio: torch === null ? null : +(ceiling / torch).toFixed(2),
      ceiling_ratio_winograd_f2: torch === null ? null : +(ceilingF2 / torch).toFixed(2),
      bar_reachable: torch === null ? null : ceiling >= torch * RATIO_BAR,
    }),
  );
}
