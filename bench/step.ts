// Milliseconds per compiled training step of one model on 300 batches held in memory (no data
// loading), median over repetitions: for A/B runs of kernel changes and for `node --cpu-prof`.
// usage: node dist/bench/step.js [net|tinyvgg|lenet] [repetitions=5]
import { compileStep, DataLoader, datasets, F, manualSeed, models, optim, transforms, type Tensor } from '../src/index.js';

const name = process.argv[2] ?? 'net';
const reps = Number(process.argv[3] ?? 5);
const mnist = name === 'net';
const transform = mnist ? new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]) : new transforms.ToTensor();
const ds = mnist ? await datasets.MNIST({ train: true, transform }) : await datasets.FashionMNIST({ train: true, transform });
manualSeed(1);
const model = mnist ? new models.Net() : name === 'lenet' ? new models.Network() : new models.FashionMNISTModelV2(1, 10, 10);
const opt = name === 'lenet' ? new optim.Adam(model.parameters(), { lr: 0.01 }) : new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
const batch = mnist ? 64 : name === 'lenet' ? 100 : 32;
const step = compileStep(model, mnist ? F.nllLoss : F.crossEntropy, opt);
const batches: [Tensor, Tensor][] = [];
for (const b of new DataLoader(ds, { batchSize: batch, shuffle: true })) {
  batches.push(b);
  if (batches.length === 300) break;
}
for (const [x, y] of batches.slice(0, 50)) step(x, y);
const times: number[] = [];
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  for (const [x, y] of batches) step(x, y);
  times.push((performance.now() - t0) / batches.length);
}
times.sort((a, b) => a - b);
const ms = times[Math.floor(reps / 2)];
console.log(JSON.stringify({ model: name, batch, ms_per_step: +ms.toFixed(3), samples_per_s: Math.round((batch / ms) * 1000) }));
