// Times an epoch of an ImageFolder of JPEGs (3,000 photos of 64 x 48 in 10 classes, written to a
// temporary folder) through RandomResizedCrop(32) + RandomHorizontalFlip + ToTensor + Normalize
// into shuffled batches of 64, with 0, 1 and 2 worker threads; one JSON line each.
// usage: node dist/bench/folder_loader.js [epochs=3]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { DataLoader, datasets, transforms as T } from '../src/index.js';
import { medianEpochSeconds } from './epoch_times.js';

const epochs = Number(process.argv[2] ?? 3);
const root = mkdtempSync(join(tmpdir(), 'torchlit-folder-bench-'));
for (let i = 0; i < 3000; i++) {
  const dir = join(root, `class${i % 10}`);
  mkdirSync(dir, { recursive: true });
  const data = Buffer.alloc(64 * 48 * 4);
  for (let p = 0; p < 64 * 48; p++) data.set([(p * 7 + i) % 256, (p >> 6) * 5, (i * 13) % 256, 255], p * 4);
  writeFileSync(join(dir, `${i}.jpg`), jpeg.encode({ width: 64, height: 48, data }, 90).data);
}
const transform = new T.Compose([
  new T.RandomResizedCrop(32),
  new T.RandomHorizontalFlip(),
  new T.ToTensor(),
  new T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
]);
const folder = new datasets.ImageFolder(root, { transform });
for (const numWorkers of [0, 1, 2]) {
  const loader = new DataLoader(folder, { batchSize: 64, shuffle: true, numWorkers });
  const seconds = medianEpochSeconds(loader, epochs);
  await loader.close();
  console.log(
    JSON.stringify({
      bench: 'folder_loader',
      images: folder.length,
      batch: 64,
      numWorkers,
      median_epoch_s: +seconds.toFixed(3),
    }),
  );
}
