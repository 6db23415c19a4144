import { DataLoader } from '../../data/dataloader.js';
import { evaluate, formatTestLine } from '../../train/evaluate.js';
import { choice, int, parse } from '../args.js';
import { TTA_MODES } from '../../train/tta_views.js';
import { formatTable } from '../table.js';
import { loadDataset, lossFunction } from '../../run/setup.js';
import { trainedModel, trainedModelHelp, trainedModelOptions } from '../trained_model.js';

export const evalHelp = `usage: torchlit eval (--run DIR | --weights FILE --model NAME) [options]

Tests a trained model: loss, accuracy, accuracy per class and the confusion matrix.

options:
${trainedModelHelp}
  --split NAME          test or train (default test)
  --batch-size N        batch size (default 1000)
  --tta MODE            test-time augmentation: none, hflip or shift (default: the run's)
  -h, --help            this help`;

export async function evalCommand(argv: string[]): Promise<number> {
  const p = parse(argv, {
    ...trainedModelOptions,
    split: { type: 'string' },
    'batch-size': { type: 'string' },
    tta: { type: 'string' },
  });
  if (p.values.help) {
    console.log(evalHelp);
    return 0;
  }
  const split = choice(p, 'split', ['test', 'train'] as const) ?? 'test';
  const batchSize = int(p, 'batch-size') ?? 1000;
  const { cfg, model, weights } = trainedModel(p);
  const ds = await loadDataset(cfg, split === 'train');
  const tta = choice(p, 'tta', TTA_MODES) ?? cfg.tta ?? 'none';
  const r = evaluate(model, new DataLoader(ds, { batchSize }), lossFunction(cfg), { tta });
  console.log(
    `${cfg.model} (${weights}) on the ${cfg.dataset} ${split} set, ${r.total} images${tta === 'none' ? '' : `, ${tta} test-time augmentation`}`,
  );
  console.log(`\n${formatTestLine(r, split === 'test' ? 'Test' : 'Train')}\n`);
  const rows = ds.classes.map((name, c) => {
    const total = r.confusion[c].reduce((a, b) => a + b, 0);
    const correct = r.confusion[c][c];
    return [c, name, `${total ? ((100 * correct) / total).toFixed(2) : '-'}%`, `${correct}/${total}`];
  });
  console.log(formatTable(['class', 'name', 'accuracy', 'correct'], rows));
  console.log('\nconfusion matrix (rows: true class, columns: predicted class)');
  console.log(
    formatTable(
      ['true\\pred', ...ds.classes.map((_, c) => String(c))],
      r.confusion.map((row, c) => [String(c), ...row]),
    ),
  );
  if (!Number.isFinite(r.loss)) {
    console.error(`torchlit eval: the loss is ${r.loss}: the model's outputs hold NaN or infinity for some images`);
    return 1;
  }
  return 0;
}
