// Does the compiled training step of the BatchNorm CNN wait for its batches? Trains it on
// CIFAR-sized data (3 x 32 x 32, batches of 128) through RandomCrop(32, padding=4) +
// RandomHorizontalFlip + ToTensor + Normalize, and prints one JSON line per numWorkers: the
// median step, the time next() takes (median, worst), of it the time blocked on a worker's
// result, and the share of all time spent in next().
// usage: node dist/bench/augment_step.js [steps=60]
import { cifarSized } from './cifar_sized.js';
import { compileStep, DataLoader, manualSeed, nn, optim, type Tensor } from '../src/index.js';
import { BatchNormCNN } from '../src/models/bn_cnn.js';
import { LoaderWorkers } from '../src/data/loader_workers.js';

// Time spent blocked on a worker's result, apart from the loader's own work on this thread.
const { take } = Object.getOwnPropertyDescriptors(LoaderWorkers.prototype);
let blocked = 0;
LoaderWorkers.prototype.take = function (this: LoaderWorkers, k: number, id: number) {
  const t = performance.now();
  const out = (take.value as LoaderWorkers['take']).call(this, k, id);
  blocked += performance.now() - t;
  return out;
};
const steps = Number(process.argv[2] ?? 60);
const train = cifarSized();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const numWorkers of [0, 1]) {
  manualSeed(1);
  const model = new BatchNormCNN(3, 10);
  const step = compileStep(
    model,
    (out, y) => nn.functional.crossEntropy(out, y),
    new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
  );
  const loader = new DataLoader(train, { batchSize: 128, shuffle: true, numWorkers });
  const it = loader[Symbol.iterator]();
  const waits: number[] = [];
  const blocks: number[] = [];
  const times: number[] = [];
  for (let s = 0; s < steps + 5; s++) {
    const t0 = performance.now();
    blocked = 0;
    const [x, y] = it.next().value as [Tensor, Tensor];
    const t1 = performance.now();
    step(x, y);
    const t2 = performance.now();
    if (s >= 5) {
      waits.push(t1 - t0);
      blocks.push(blocked);
      times.push(t2 - t1);
    }
  }
  await loader.close();
  const total = waits.reduce((a, b) => a + b, 0) + times.reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      bench: 'augment_step',
      model: 'bn-cnn',
      input: '3x32x32',
      batch: 128,
      numWorkers,
      steps,
      median_step_ms: +median(times).toFixed(2),
      median_wait_ms: +median(waits).toFixed(3),
      max_wait_ms: +Math.max(...waits).toFixed(3),
      median_blocked_ms: +median(blocks).toFixed(3),
      max_blocked_ms: +Math.max(...blocks).toFixed(3),
      wait_share: +(waits.reduce((a, b) => a + b, 0) / total).toFixed(4),
    }),
  );
}
