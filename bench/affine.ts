// Times one epoch of MNIST's 60,000 training images through a geometric augmentation
// (RandomAffine, nearest and bilinear; RandomRotation) + ToTensor + Normalize into shuffled batches
// of 64, the data side of a run that augments with them; one JSON line each, median of the epochs.
// usage: node dist/bench/affine.js [epochs=3]
import { DataLoader, datasets, transforms as T } from '../src/index.js';
import { medianEpochSeconds } from './epoch_times.js';

const epochs = Number(process.argv[2] ?? 3);
const cases: Record<string, () => T.Transform> = {
  'RandomAffine(10, translate 0.1, scale 0.9-1.1)': () =>
    new T.RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1] }),
  'RandomAffine(10, translate 0.1, scale 0.9-1.1, bilinear)': () =>
    new T.RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1], interpolation: 'bilinear' }),
  'RandomRotation(10)': () => new T.RandomRotation(10),
};
for (const [name, make] of Object.entries(cases)) {
  const transform = new T.Compose([make(), new T.ToTensor(), new T.Normalize([0.1307], [0.3081])]);
  const loader = new DataLoader(await datasets.MNIST({ train: true, transform }), { batchSize: 64, shuffle: true });
  console.log(
    JSON.stringify({
      bench: 'affine',
      transform: name,
      samples: 60000,
      epochs,
      median_epoch_s: +medianEpochSeconds(loader, epochs).toFixed(3),
    }),
  );
}
