import { join } from 'node:path';
import { exportOnnx } from '../../io/onnx/export_file.js';
import { datasetClasses, datasetShape } from '../../run/datasets.js';
import { randn } from '../../tensor/creation.js';
import { choice, int, parse, str, UsageError } from '../args.js';
import { trainedModel, trainedModelHelp, trainedModelOptions } from '../trained_model.js';

export const exportHelp = `usage: torchlit export (--run DIR | --weights FILE --model NAME) [options]

Writes a trained model for another runtime: ONNX (ONNX Runtime on servers, phones and in pages),
input 'input' [batch, C, H, W], output 'output' (the model's scores), the class names and the
normalisation the model was trained with in the metadata.

options:
${trainedModelHelp}
  --format NAME         onnx (default); pytorch is not supported yet
  --out FILE            where to write (default DIR/model.onnx, or model.onnx with --weights)
  --opset N             the ONNX operator set, 13 to 17 (default 17)
  --static-batch        fix the batch dimension to 1 instead of naming it 'batch'
  --fold-batch-norm     fold each BatchNorm that follows a convolution into its weights
  -h, --help            this help`;

export function exportCommand(argv: string[]): number {
  const p = parse(argv, {
    ...trainedModelOptions,
    format: { type: 'string' },
    out: { type: 'string' },
    opset: { type: 'string' },
    'static-batch': { type: 'boolean' },
    'fold-batch-norm': { type: 'boolean' },
  });
  if (p.values.help) {
    console.log(exportHelp);
    return 0;
  }
  const format = choice(p, 'format', ['onnx', 'pytorch'] as const) ?? 'onnx';
  if (format === 'pytorch') throw new UsageError('--format pytorch is not supported yet; --format onnx is');
  const opset = int(p, 'opset');
  const { cfg, model } = trainedModel(p);
  const run = str(p, 'run');
  const out = str(p, 'out') ?? (run ? join(run, 'model.onnx') : 'model.onnx');
  const shape = datasetShape(cfg.dataset);
  const size = shape.size ?? cfg.imageSize ?? 32;
  const classes = datasetClasses(cfg.dataset);
  try {
    exportOnnx(model, randn([1, shape.channels, size, size]), out, {
      ...(opset !== undefined && { opset }),
      dynamicBatch: !p.values['static-batch'],
      foldBatchNorm: p.values['fold-batch-norm'] === true,
      ...(classes && { classNames: classes }),
      ...(cfg.normalize && { normalize: { mean: [cfg.normalize[0]], std: [cfg.normalize[1]] } }),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  console.log(
    `Wrote ${out}: ${cfg.model} as ONNX, input [${p.values['static-batch'] ? 1 : 'batch'}, ${shape.channels}, ${size}, ${size}]`,
  );
  return 0;
}
