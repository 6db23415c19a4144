// Milliseconds per compiled training step of one model on 300 batches held in memory (no data
// loading), median over repetitions: for A/B runs of kernel changes and for `node --cpu-prof`.
// usage: node dist/bench/step.js [MODEL=net] [repetitions=5], with the model's tutorial settings
import { compileStep, DataLoader, datasets, type Tensor } from '../src/index.js';
import { createModel, createOptimizer, lossFunction, newRunConfig, transformFor } from '../src/run/setup.js';

const name = process.argv[2] ?? 'net';
const reps = Number(process.argv[3] ?? 5);
const cfg = newRunConfig(name, {});
const load = cfg.dataset === 'mnist' ? datasets.MNIST : datasets.FashionMNIST;
const ds = await load({ train: true, transform: transformFor(cfg) });
const model = createModel(cfg);
const batch = cfg.batchSize;
const step = compileStep(model, lossFunction(cfg), createOptimizer(cfg, model));
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
console.log(
  JSON.stringify({ model: name, batch, ms_per_step: +ms.toFixed(3), samples_per_s: Math.round((batch / ms) * 1000) }),
);
