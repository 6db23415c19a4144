import { ImageArrayDataset } from '../../data/datasets/image_array.js';
import { checkDatasetName, DATASET_NAMES, type ImageDataset } from '../../run/datasets.js';
import { loadDataset } from '../../run/setup.js';
import { parse, required, str } from '../args.js';
import { formatTable } from '../table.js';

export const dataHelp = `usage: torchlit data --dataset NAME

Describes a dataset: split sizes, image shape, pixel mean and standard deviation per channel
(the numbers for Normalize), class names and how many images each class has.

options:
  --dataset NAME        ${DATASET_NAMES}
  --data DIR            where datasets are found or downloaded to (default data)
  -h, --help            this help`;

/** Shapes seen, and the mean and standard deviation of each channel's pixels in [0, 1]. */
function statistics(ds: ImageDataset): { shapes: string; mean: number[]; std: number[] } {
  const sums: number[] = [];
  const squares: number[] = [];
  const counts: number[] = [];
  const shapes = new Set<string>();
  const add = (pixels: ArrayLike<number>, channels: number) => {
    const plane = pixels.length / channels;
    for (let c = 0; c < channels; c++) {
      let [s, q] = [0, 0];
      for (let i = c * plane; i < (c + 1) * plane; i++) {
        const v = pixels[i] / 255;
        s += v;
        q += v * v;
      }
      sums[c] = (sums[c] ?? 0) + s;
      squares[c] = (squares[c] ?? 0) + q;
      counts[c] = (counts[c] ?? 0) + plane;
    }
  };
  if (ds instanceof ImageArrayDataset) {
    const [c, h, w] = ds.imageShape;
    shapes.add(`[${c}, ${h}, ${w}]`);
    const pixels = ds.data.values();
    // Channels are interleaved per image, so add image by image.
    for (let n = 0; n < ds.length; n++) add(pixels.subarray(n * c * h * w, (n + 1) * c * h * w), c);
  } else {
    for (let i = 0; i < ds.length; i++) {
      const image = ds.image(i);
      shapes.add(`[${image.shape.join(', ')}]`);
      add(image.values(), image.shape[0]);
    }
  }
  const mean = sums.map((s, c) => s / counts[c]);
  const std = squares.map((q, c) => Math.sqrt(q / counts[c] - mean[c] * mean[c]));
  return { shapes: shapes.size > 3 ? `${shapes.size} sizes` : [...shapes].join(' '), mean, std };
}

export async function data(argv: string[]): Promise<number> {
  const p = parse(argv, { dataset: { type: 'string' }, data: { type: 'string' } });
  if (p.values.help) {
    console.log(dataHelp);
    return 0;
  }
  const dataset = checkDatasetName(required(str(p, 'dataset'), 'dataset'));
  const cfg = { dataset, dataRoot: str(p, 'data') ?? 'data', normalize: null };
  const splits = { train: await loadDataset(cfg, true), test: await loadDataset(cfg, false) };
  const rows = Object.entries(splits).map(([name, ds]) => {
    const { shapes, mean, std } = statistics(ds);
    return [name, ds.length, shapes, mean.map((m) => m.toFixed(4)).join(', '), std.map((s) => s.toFixed(4)).join(', ')];
  });
  console.log(
    `${dataset}: ${splits.train.length + splits.test.length} images of ${splits.train.classes.length} classes\n`,
  );
  console.log(formatTable(['split', 'images', 'image shape', 'pixel mean', 'pixel std'], rows));
  const counts = Object.values(splits).map((ds) => {
    const n = new Array<number>(ds.classes.length).fill(0);
    for (const label of ds.labels()) n[label]++;
    return n;
  });
  console.log();
  console.log(
    formatTable(
      ['class', 'name', 'train', 'test'],
      splits.train.classes.map((name, c) => [c, name, counts[0][c] ?? 0, counts[1][c] ?? 0]),
    ),
  );
  return 0;
}
