// Times one epoch of CIFAR-10-sized data (50,000 x 3 x 32 x 32 uint8) through RandomCrop(32,
// padding=4) + RandomHorizontalFlip + ToTensor + Normalize into shuffled batches of 128, the
// augmentation bar of issue 15; prints one JSON line with the median of several epochs.
// usage: node dist/bench/augment.js [epochs=5] [numWorkers=0]
import { cifarSized } from './cifar_sized.js';
import { DataLoader, manualSeed } from '../src/index.js';

const epochs = Number(process.argv[2] ?? 5);
const numWorkers = Number(process.argv[3] ?? 0);
const train = cifarSized();
const n = train.length;
const loader = new DataLoader(train, { batchSize: 128, shuffle: true, numWorkers });
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
    bench: 'augment',
    dataset: 'cifar-sized',
    samples: n,
    batch: 128,
    transform: 'RandomCrop(32,4)+RandomHorizontalFlip+ToTensor+Normalize',
    numWorkers,
    epochs,
    median_epoch_s: +times[Math.floor(times.length / 2)].toFixed(3),
    min_epoch_s: +times[0].toFixed(3),
    checksum: +checksum.toFixed(3),
  }),
);
