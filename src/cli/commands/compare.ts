import { checkDatasetName } from '../../run/datasets.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelNames } from '../../models/zoo.js';
import { writeFileAtomic } from '../../util/atomic_file.js';
import { comparisonChart } from '../../viz/charts.js';
import { saveFigure } from '../../viz/figure.js';
import { int, parse, required, str, UsageError } from '../args.js';
import { checkNewRunDir, nextRunDir, RUN_CONFIG } from '../../run/run_dir.js';
import { lockRunDir } from '../../run/run_lock.js';
import { formatTable } from '../table.js';
import { runTraining } from '../../run/run_training.js';
import { drawRunPictures } from '../run_pictures.js';
import { newRunConfig, type RunConfig } from '../../run/setup.js';

export const compareHelp = `usage: torchlit compare --models A,B,... [options]

Trains each model on the same data with its tutorial's settings (the same epochs for all) and
prints the Fashion-MNIST tutorial's closing comparison: loss, accuracy and training time.

options:
  --models LIST         comma-separated: ${modelNames.join(', ')}
  --dataset NAME        any dataset train takes (default: the first model's tutorial)
  --epochs N            epochs for every model (default: the first model's tutorial)
  --seed N              seed (default 1)
  --train-size N        train on the first N training images only (quick trials)
  --data DIR            where datasets are found or downloaded to (default data)
  --out DIR             where each model's run and the comparison go (default runs/compare)
  --quiet               print only the comparison
  -h, --help            this help

writes DIR/MODEL/ (each run), DIR/comparison.csv, DIR/comparison.json and the chart
DIR/comparison.png (.svg).`;

export interface ComparisonRow {
  model: string;
  modelName: string;
  loss: number;
  accuracy: number;
  trainTimeS: number;
}

function csv(rows: ComparisonRow[]): string {
  return (
    [
      'model,model_name,model_loss,model_acc,training_time',
      ...rows.map((r) => [r.model, r.modelName, r.loss, r.accuracy, r.trainTimeS].join(',')),
    ].join('\n') + '\n'
  );
}

/** What `torchlit compare ARGV` will train, every value checked; null when it asked for --help. */
export interface ComparisonPlan {
  configs: RunConfig[];
  out: string;
  quiet: boolean;
  dataset: string;
  epochs: number;
}

/** Checks the command line and the output folder without writing anything; the help is printed instead. */
export function planComparison(argv: string[]): ComparisonPlan | null {
  const p = parse(argv, {
    models: { type: 'string' },
    dataset: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    'train-size': { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (p.values.help) {
    console.log(compareHelp);
    return null;
  }
  const names = required(str(p, 'models'), 'models')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--models needs at least one model name');
  if (new Set(names).size !== names.length) throw new UsageError(`--models lists a model twice: ${names.join(',')}`);
  const first = newRunConfig(names[0], {});
  const shared = {
    dataset: str(p, 'dataset') === undefined ? first.dataset : checkDatasetName(str(p, 'dataset')!),
    epochs: int(p, 'epochs') ?? first.epochs,
    seed: int(p, 'seed', 0) ?? 1,
    trainSize: int(p, 'train-size') ?? null,
    dataRoot: str(p, 'data') ?? 'data',
  };
  const configs = names.map((name) => newRunConfig(name, shared));
  const out = str(p, 'out') ?? nextRunDir('runs/compare');
  checkNewRunDir(out);
  if (existsSync(join(out, RUN_CONFIG)))
    throw new UsageError(`--out ${out} already holds a run of torchlit train; choose a new or empty folder`);
  return { configs, out, quiet: Boolean(p.values.quiet), dataset: shared.dataset, epochs: shared.epochs };
}

export async function compare(argv: string[]): Promise<number> {
  const plan = planComparison(argv);
  if (!plan) return 0;
  const { configs, out } = plan;
  lockRunDir(out);
  const shared = { dataset: plan.dataset, epochs: plan.epochs };
  const rows: ComparisonRow[] = [];
  for (const cfg of configs) {
    const r = await runTraining(cfg, nextRunDir(join(out, cfg.model)), {
      resume: false,
      log: plan.quiet ? null : undefined,
      drawPictures: drawRunPictures,
    });
    rows.push({
      model: cfg.model,
      modelName: r.modelName,
      loss: r.test.loss,
      accuracy: r.test.accuracy,
      trainTimeS: r.trainTimeS,
    });
  }
  console.log(`\nComparison on ${shared.dataset}, ${shared.epochs} epochs each:\n`);
  console.log(
    formatTable(
      ['model', 'model_name', 'model_loss', 'model_acc', 'training_time'],
      rows.map((r) => [r.model, r.modelName, r.loss.toFixed(6), r.accuracy.toFixed(4), r.trainTimeS.toFixed(3)]),
    ),
  );
  writeFileAtomic(join(out, 'comparison.csv'), csv(rows));
  writeFileAtomic(
    join(out, 'comparison.json'),
    JSON.stringify({ dataset: shared.dataset, epochs: shared.epochs, results: rows }, null, 2),
  );
  const chart = await comparisonChart(rows, `Comparison on ${shared.dataset}, ${shared.epochs} epochs each`);
  const charts = [
    await saveFigure(chart, join(out, 'comparison.png')),
    await saveFigure(chart, join(out, 'comparison.svg')),
  ];
  console.log(`\nWrote ${[join(out, 'comparison.csv'), join(out, 'comparison.json'), ...charts].join(', ')}`);
  return 0;
}
