// Times one epoch of CIFAR-10-sized data (50,000 x 3 x 32 x 32 uint8) through RandomCrop(32,
// padding=4) + RandomHorizontalFlip + ToTensor + Normalize into shuffled batches of 128, the
// augmentation bar of issue 15; prints one JSON line with the median of several epochs.
// usage: node dist/bench/augment.js [epochs=5] [numWorkers=0]
import { DataLoader, datasets, manualSeed, Tensor, transforms as T } from '../src/index.js';

const epochs = Number(process.argv[2] ?? 5);
const numWorkers = Number(process.argv[3] ?? 0);
const n = 50_000;
const pixels = Uint8Array.from({ length: n * 3072 }, (_, i) => (i * 2654435761) >>> 24);
const labels = Float64Array.from({ length: n }, (_, i) => i % 10);
const transform = new T.Compose([
  new T.RandomCrop(32, { padding: 4 }),
  new T.RandomHorizontalFlip(),
  new T.ToTensor(),
  new T.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]),
]);
const train = new datasets.ImageArrayDataset(
  'cifar-sized',
  Array.from({ length: 10 }, (_, i) => String(i)),
  new Tensor(pixels, [n, 3, 32, 32], 'uint8'),
  new Tensor(labels, [n], 'int64'),
  { transform },
);
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
