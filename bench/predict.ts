// Latency of classifying one 28x28 image with the tutorial's Net after loading: the median of
// many single-image forward passes (softmax included). Prints one JSON line.
// usage: node dist/bench/predict.js [repeats=2000]
import { backend, F, manualSeed, models, noGrad, randn, withArena } from '../src/index.js';

const repeats = Number(process.argv[2] ?? 2000);
manualSeed(1);
const net = new models.Net().eval();
const image = randn([1, 1, 28, 28]);
const predict = () => noGrad(() => withArena(() => F.softmax(net.forward(image), 1).toArray()));
for (let i = 0; i < 200; i++) predict();
const times: number[] = [];
for (let i = 0; i < repeats; i++) {
  const t0 = performance.now();
  predict();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const at = (q: number) => +times[Math.floor(q * (times.length - 1))].toFixed(4);
console.log(
  JSON.stringify({
    bench: 'predict',
    model: 'net',
    backend: backend().name,
    repeats,
    median_ms: at(0.5),
    p90_ms: at(0.9),
    p99_ms: at(0.99),
  }),
);
