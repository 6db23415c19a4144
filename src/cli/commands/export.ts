import { join } from 'node:path';
import { exportPytorch } from '../../io/export/pytorch_file.js';
import { exportOnnx } from '../../io/onnx/export_file.js';
import { datasetClasses, datasetShape } from '../../run/datasets.js';
import { randn } from '../../tensor/creation.js';
import { choice, int, parse, str, UsageError } from '../args.js';
import { trainedModel, trainedModelHelp, trainedModelOptions } from '../trained_model.js';

export const exportHelp = `usage: torchlit export (--run DIR | --weights FILE --model NAME) [options]

Writes a trained model for another runtime. ONNX (ONNX Runtime on servers, phones and in pages):
input 'input' [batch, C, H, W], output 'output' (the model's scores), the class names and the
normalisation the model was trained with in the metadata. PyTorch: a folder with model.py (an
nn.Module with the same submodule names), model.safetensors (its state dict) and
safetensors_fallback.py, to go on training with PyTorch (torchrun, DistributedDataParallel).

options:
${trainedModelHelp}
  --format NAME         onnx (default) or pytorch
  --out PATH            where to write (onnx: default DIR/model.onnx, or model.onnx with --weights;
                        pytorch: a folder, default DIR/pytorch, or pytorch with --weights)
  --opset N             onnx: the operator set, 13 to 17 (default 17)
  --static-batch        onnx: fix the batch dimension to 1 instead of naming it 'batch'
  --fold-batch-norm     onnx: fold each BatchNorm that follows a convolution into its weights
  --class-name NAME     pytorch: the Python class's name (default: the model's)
  -h, --help            this help`;

export function exportCommand(argv: string[]): number {
  const p = parse(argv, {
    ...trainedModelOptions,
    format: { type: 'string' },
    out: { type: 'string' },
    opset: { type: 'string' },
    'static-batch': { type: 'boolean' },
    'fold-batch-norm': { type: 'boolean' },
    'class-name': { type: 'string' },
  });
  if (p.values.help) {
    console.log(exportHelp);
    return 0;
  }
  const format = choice(p, 'format', ['onnx', 'pytorch'] as const) ?? 'onnx';
  const onnxOnly = ['opset', 'static-batch', 'fold-batch-norm'].filter((k) => p.values[k] !== undefined);
  if (format === 'pytorch' && onnxOnly.length) throw new UsageError(`--${onnxOnly[0]} is for --format onnx`);
  if (format === 'onnx' && p.values['class-name'] !== undefined)
    throw new UsageError('--class-name is for --format pytorch');
  const opset = int(p, 'opset');
  const { cfg, model } = trainedModel(p);
  const run = str(p, 'run');
  const fallback = format === 'onnx' ? 'model.onnx' : 'pytorch';
  const out = str(p, 'out') ?? (run ? join(run, fallback) : fallback);
  const shape = datasetShape(cfg.dataset);
  const size = shape.size ?? cfg.imageSize ?? 32;
  const classes = datasetClasses(cfg.dataset);
  const example = randn([1, shape.channels, size, size]);
  try {
    if (format === 'pytorch') {
      const className = str(p, 'class-name');
      exportPytorch(model, example, out, className ? { className } : {});
    } else
      exportOnnx(model, example, out, {
        ...(opset !== undefined && { opset }),
        dynamicBatch: !p.values['static-batch'],
        foldBatchNorm: p.values['fold-batch-norm'] === true,
        ...(classes && { classNames: classes }),
        ...(cfg.normalize && { normalize: { mean: [cfg.normalize[0]], std: [cfg.normalize[1]] } }),
      });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (format === 'pytorch')
    console.log(
      `Wrote ${out}: model.py, model.safetensors and safetensors_fallback.py (${cfg.model} for PyTorch, input [batch, ${shape.channels}, ${size}, ${size}])`,
    );
  else
    console.log(
      `Wrote ${out}: ${cfg.model} as ONNX, input [${p.values['static-batch'] ? 1 : 'batch'}, ${shape.channels}, ${size}, ${size}]`,
    );
  return 0;
}
