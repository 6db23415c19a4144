import { modelNames } from '../../models/zoo.js';
import { zeros } from '../../tensor/creation.js';
import { parse, required, str } from '../args.js';
import { layerSummary } from '../layer_summary.js';
import { createModel, newRunConfig } from '../../run/setup.js';
import { formatTable } from '../table.js';
import { className } from '../../util/class_name.js';

export const inspectHelp = `usage: torchlit inspect --model NAME

Shows a zoo model: its printed form, named parameters with shapes and counts, and the output
shape of every layer for one 1x1x28x28 input.

options:
  --model NAME          ${modelNames.join(', ')}
  -h, --help            this help`;

const count = (n: number) => n.toLocaleString('en-US');

export function inspect(argv: string[]): number {
  const p = parse(argv, { model: { type: 'string' } });
  if (p.values.help) {
    console.log(inspectHelp);
    return 0;
  }
  const cfg = newRunConfig(required(str(p, 'model'), 'model'), {});
  const model = createModel(cfg);
  console.log(`${model.toString()}\n`);
  const params = [...model.namedParameters()];
  console.log(
    formatTable(
      ['parameter', 'shape', 'count', 'trainable'],
      params.map(([name, t]) => [name, `[${t.shape.join(', ')}]`, count(t.numel()), t.requiresGrad ? 'yes' : 'no']),
    ),
  );
  const total = params.reduce((a, [, t]) => a + t.numel(), 0);
  const trainable = params.reduce((a, [, t]) => a + (t.requiresGrad ? t.numel() : 0), 0);
  console.log(
    `\nTotal params: ${count(total)}\nTrainable params: ${count(trainable)}\nNon-trainable params: ${count(total - trainable)}\n`,
  );
  const input = zeros([1, 1, 28, 28]);
  const { rows, output } = layerSummary(model, input);
  console.log(
    formatTable(
      ['layer (type)', 'output shape', 'params'],
      [
        [`${className(model)} (input)`, `[${input.shape.join(', ')}]`, ''],
        ...rows.map((r) => [
          `${'  '.repeat(r.depth + 1)}${r.name} (${r.type})`,
          `[${r.outputShape.join(', ')}]`,
          count(r.params),
        ]),
        [`${className(model)} (output)`, `[${output.shape.join(', ')}]`, count(total)],
      ],
    ),
  );
  return 0;
}
