import { choice, parse, required, str } from '../args.js';
import { loadDataset } from '../../run/setup.js';
import { formatTable } from '../table.js';

export const dataHelp = `usage: torchlit data --dataset NAME

Describes a dataset: split sizes, image shape, pixel mean and standard deviation (the numbers
for Normalize), class names and how many images each class has.

options:
  --dataset NAME        mnist or fashion-mnist
  --data DIR            where datasets are found or downloaded to (default data)
  -h, --help            this help`;

export async function data(argv: string[]): Promise<number> {
  const p = parse(argv, { dataset: { type: 'string' }, data: { type: 'string' } });
  if (p.values.help) {
    console.log(dataHelp);
    return 0;
  }
  const dataset = required(choice(p, 'dataset', ['mnist', 'fashion-mnist'] as const), 'dataset');
  const cfg = { dataset, dataRoot: str(p, 'data') ?? 'data', normalize: null };
  const splits = { train: await loadDataset(cfg, true), test: await loadDataset(cfg, false) };
  const rows = Object.entries(splits).map(([name, ds]) => {
    const pixels = ds.data.values();
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i] / 255;
      sum += v;
      sq += v * v;
    }
    const mean = sum / pixels.length;
    return [
      name,
      ds.length,
      `[1, ${ds.data.shape.slice(1).join(', ')}]`,
      mean.toFixed(4),
      Math.sqrt(sq / pixels.length - mean * mean).toFixed(4),
    ];
  });
  console.log(
    `${dataset}: ${splits.train.length + splits.test.length} images of ${splits.train.classes.length} classes\n`,
  );
  console.log(formatTable(['split', 'images', 'image shape', 'pixel mean', 'pixel std'], rows));
  const counts = Object.values(splits).map((ds) => ds.targets.bincount().toArray());
  console.log();
  console.log(
    formatTable(
      ['class', 'name', 'train', 'test'],
      splits.train.classes.map((name, c) => [c, name, counts[0][c] ?? 0, counts[1][c] ?? 0]),
    ),
  );
  return 0;
}
