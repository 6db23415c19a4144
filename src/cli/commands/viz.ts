import { join } from 'node:path';
import { inputImage } from '../input_image.js';
import { toMnistInput } from '../../io/mnist_input.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Conv2d } from '../../nn/layers.js';
import { manualSeed } from '../../tensor/generator.js';
import { featureMaps, filtersFigure, firstConv } from '../../viz/feature_maps.js';
import { saveFigure } from '../../viz/figure.js';
import { choice, int, parse, str, UsageError } from '../args.js';
import { drawConfusion, drawCurve, drawLossPerEpoch, drawPredictions, drawSamples } from '../pictures.js';
import { readRunConfig } from '../../run/run_dir.js';
import { readRunHistory, readRunMetrics } from '../../run/run_files.js';
import { loadDataset } from '../../run/setup.js';
import { augmentation, checkDatasetName, DATASET_NAMES, openDataset, sizing } from '../../run/datasets.js';
import { imageGrid } from '../../viz/image_grid.js';
import { trainedModel, trainedModelOptions } from '../trained_model.js';

export const vizHelp = `usage: torchlit viz <picture> [options]

pictures:
  samples --dataset NAME [--data DIR --rows 4 --cols 4 --seed N --out FILE]
                        random training images titled with their classes (default samples.png)
  augment --dataset NAME [--index I --rows 4 --cols 4 --seed N --image-size N --out FILE]
                        one training image under the --augment transforms, drawn again and
                        again (default augment.png)
  curve --run DIR       the training curve of a run: DIR/curve.png and DIR/curve.svg
  confusion --run DIR   the confusion matrix of a run's test: DIR/confusion.png
  run --run DIR         all of a run's pictures, as train draws them: samples, curve,
                        loss per epoch, predictions and confusion matrix
  featuremaps IMAGE [--out-channels N --kernel-size K --seed N --cmap gray|viridis --out FILE]
                        a random Conv2d applied to a colour PNG or JPEG, every output channel
                        shown (default featuremaps.png)
  featuremaps [IMAGE] --run DIR [--cmap gray|viridis --out FILE]
                        a trained model's first-layer activations for the image (prepared as
                        predict does) or the first test image, and its filters in FILE-filters.png
  --data DIR            where datasets are found (default data)
  -h, --help            this help

datasets: ${DATASET_NAMES}

Each prints the paths it wrote.`;

async function samples(argv: string[]): Promise<string[]> {
  const p = parse(argv, {
    dataset: { type: 'string' },
    rows: { type: 'string' },
    cols: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' },
  });
  const name = str(p, 'dataset');
  if (!name) throw new UsageError('--dataset is required');
  const dataset = checkDatasetName(name);
  const ds = await loadDataset({ dataset, dataRoot: str(p, 'data') ?? 'data', normalize: null }, true);
  return [
    await drawSamples(ds, str(p, 'out') ?? 'samples.png', {
      rows: int(p, 'rows'),
      cols: int(p, 'cols'),
      seed: int(p, 'seed', 0),
      title: `${dataset}: random training images`,
    }),
  ];
}

/** One training image under the dataset's --augment transforms, again and again, in a grid. */
async function augment(argv: string[]): Promise<string[]> {
  const p = parse(argv, {
    dataset: { type: 'string' },
    index: { type: 'string' },
    rows: { type: 'string' },
    cols: { type: 'string' },
    seed: { type: 'string' },
    'image-size': { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' },
  });
  const name = str(p, 'dataset');
  if (!name) throw new UsageError('--dataset is required');
  const dataset = checkDatasetName(name);
  const size = int(p, 'image-size', 1) ?? 32;
  const ds = await openDataset(dataset, str(p, 'data') ?? 'data', true, undefined);
  const index = int(p, 'index', 0) ?? 0;
  if (index >= ds.length) throw new UsageError(`--index ${index} is past the ${ds.length} training images`);
  const [rows, cols] = [int(p, 'rows', 1) ?? 4, int(p, 'cols', 1) ?? 4];
  const steps = augmentation(dataset, size);
  const original = ds.image(index);
  const fixed = sizing(dataset, size).reduce((x, t) => t.apply(x), original);
  manualSeed(int(p, 'seed', 0) ?? 0);
  const items = Array.from({ length: rows * cols }, (_, k) => ({
    image: k === 0 ? fixed : steps.reduce((x, t) => t.apply(x), original),
    title: k === 0 ? 'original' : `draw ${k}`,
  }));
  const title = `${dataset}: training image ${index} (${ds.classes[ds.labels()[index]]}) under --augment`;
  return [await saveFigure(imageGrid(items, { rows, cols, title }), str(p, 'out') ?? 'augment.png')];
}

async function curve(argv: string[]): Promise<string[]> {
  const p = parse(argv, { run: { type: 'string' } });
  const run = str(p, 'run');
  if (!run) throw new UsageError('--run DIR is required');
  const history = readRunHistory(run);
  const cfg = readRunConfig(run);
  return drawCurve(history, run, `${cfg.model} on ${cfg.dataset}`);
}

async function confusion(argv: string[]): Promise<string[]> {
  const p = parse(argv, { run: { type: 'string' } });
  const run = str(p, 'run');
  if (!run) throw new UsageError('--run DIR is required');
  const metrics = readRunMetrics(run);
  return [
    await drawConfusion(
      metrics.confusion,
      metrics.classes,
      join(run, 'confusion.png'),
      `${metrics.model}: test set confusion matrix`,
    ),
  ];
}

async function featuremaps(argv: string[]): Promise<string[]> {
  const p = parse(
    argv,
    {
      ...trainedModelOptions,
      'out-channels': { type: 'string' },
      'kernel-size': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      cmap: { type: 'string' },
    },
    true,
  );
  const cmap = choice(p, 'cmap', ['gray', 'gray_r', 'viridis'] as const);
  const trained = Boolean(str(p, 'run') || str(p, 'weights'));
  if (p.positionals.length > 1 || (!trained && p.positionals.length === 0))
    throw new UsageError('give one image file: torchlit viz featuremaps photo.jpg [--run DIR]');
  const file = p.positionals[0] as string | undefined;
  const photo = file === undefined ? undefined : inputImage(file, trained ? 'gray' : 'rgb');
  const out = str(p, 'out') ?? 'featuremaps.png';
  if (trained) {
    const { cfg, model } = trainedModel(p, true);
    if (![...model.modules()].some((m) => m instanceof Conv2d))
      throw new UsageError(`${cfg.model} has no Conv2d layer: feature maps need a model with convolutions`);
    const conv = firstConv(model);
    // What the model sees: the photo prepared as for predict, or the first test image.
    const image = photo
      ? toMnistInput(photo).image
      : (await loadDataset({ ...cfg, normalize: null }, false)).image(0).float().div(255);
    const norm = cfg.normalize;
    const prepare = norm ? (x: Tensor) => x.sub(norm[0]).div(norm[1]) : undefined;
    const title = `${cfg.model}: first-layer activations for ${file ?? 'test image 0'}`;
    const shown = await saveFigure(featureMaps(image, conv, { title, prepare, cmap }), out);
    const filters = await saveFigure(
      filtersFigure(conv, { title: `${cfg.model}: first-layer filters`, cmap }),
      out.replace(/(\.png|\.svg)?$/i, '-filters$1'),
    );
    return [shown, filters];
  }
  manualSeed(int(p, 'seed', 0) ?? 42);
  const image = photo!;
  const conv = new Conv2d(3, int(p, 'out-channels') ?? 10, int(p, 'kernel-size') ?? 3);
  return [await saveFigure(featureMaps(image, conv, { cmap }), out)];
}

/** Every picture of a run: samples, curve, predictions, confusion matrix (what train draws). */
async function run(argv: string[]): Promise<string[]> {
  const p = parse(argv, { run: { type: 'string' }, data: { type: 'string' } });
  const dir = str(p, 'run');
  if (!dir) throw new UsageError('--run DIR is required');
  const history = readRunHistory(dir);
  const metrics = readRunMetrics(dir);
  const { cfg, model } = trainedModel(p, true);
  return [
    await drawSamples(await loadDataset({ ...cfg, normalize: null }, true), join(dir, 'samples.png'), {
      seed: cfg.seed,
    }),
    ...(await drawCurve(history, dir, `${cfg.model} on ${cfg.dataset}`)),
    await drawLossPerEpoch(history, dir, `${cfg.model} on ${cfg.dataset}: loss per epoch`),
    await drawPredictions(model, await loadDataset(cfg, false), join(dir, 'predictions.png')),
    await drawConfusion(
      metrics.confusion,
      metrics.classes,
      join(dir, 'confusion.png'),
      `${cfg.model}: test set confusion matrix`,
    ),
  ];
}

const pictures: Record<string, (argv: string[]) => Promise<string[]>> = {
  samples,
  augment,
  curve,
  confusion,
  featuremaps,
  run,
};

export async function viz(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || rest.includes('--help') || rest.includes('-h')) {
    console.log(vizHelp);
    return name === undefined ? 2 : 0;
  }
  const draw = Object.hasOwn(pictures, name) ? pictures[name] : undefined;
  if (!draw) throw new UsageError(`unknown picture '${name}'; pictures: ${Object.keys(pictures).join(', ')}`);
  for (const path of await draw(rest)) console.log(path);
  return 0;
}
