// Trains the MLP for many steps on random batches and prints heap and RSS at the start and end
// (one JSON line each), to show memory stays flat without any manual freeing.
// usage: node --expose-gc dist/bench/memory.js [iterations=10000] [batch=32]
import { F, manualSeed, models, optim, randint, randn } from '../src/index.js';

const iterations = Number(process.argv[2] ?? 10000);
const batch = Number(process.argv[3] ?? 32);
const gc = (globalThis as { gc?: () => void }).gc;

function sample(iteration: number) {
  gc?.();
  const m = process.memoryUsage();
  return {
    iteration,
    heap_mb: +(m.heapUsed / 2 ** 20).toFixed(2),
    rss_mb: +(m.rss / 2 ** 20).toFixed(2),
    external_mb: +(m.external / 2 ** 20).toFixed(2),
  };
}

manualSeed(0);
const model = models.mlp();
const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
const x = randn([batch, 1, 28, 28]);
const y = randint(0, 10, [batch]);
const warmup = Math.min(100, iterations);
const samples = [];
const t0 = performance.now();
for (let i = 0; i < iterations; i++) {
  if (i === warmup) samples.push(sample(i));
  opt.zeroGrad();
  const loss = F.crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
}
samples.push(sample(iterations));
const seconds = (performance.now() - t0) / 1000;
for (const s of samples)
  console.log(JSON.stringify({ bench: 'memory', model: 'mlp', batch, gc_exposed: gc !== undefined, ...s }));
console.log(
  JSON.stringify({
    bench: 'memory',
    model: 'mlp',
    batch,
    iterations,
    seconds: +seconds.toFixed(2),
    heap_growth_mb: +(samples[1].heap_mb - samples[0].heap_mb).toFixed(2),
    rss_growth_mb: +(samples[1].rss_mb - samples[0].rss_mb).toFixed(2),
  }),
);
