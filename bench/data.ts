// Times one epoch of MNIST training batches (64, ToTensor + Normalize, shuffled) through the
// DataLoader's fused path; prints one JSON line with the median of several epochs.
// usage: node dist/bench/data.js [epochs=7]
import { DataLoader, datasets, manualSeed, transforms } from '../src/index.js';

const epochs = Number(process.argv[2] ?? 7);
const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
const train = await datasets.MNIST({ train: true, transform });
const loader = new DataLoader(train, { batchSize: 64, shuffle: true });
manualSeed(1);
const times: number[] = [];
let checksum = 0;
for (let e = 0; e < epochs; e++) {
  const t0 = performance.now();
  for (const [x, y] of loader) checksum += x.data[0] + y.data[0];
  times.push((performance.now() - t0) / 1000);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    bench: 'dataloader',
    dataset: 'mnist',
    batch: 64,
    transform: 'ToTensor+Normalize',
    batches: loader.length,
    epochs,
    median_epoch_s: +times[Math.floor(times.length / 2)].toFixed(3),
    min_epoch_s: +times[0].toFixed(3),
    checksum: +checksum.toFixed(3),
  }),
);
