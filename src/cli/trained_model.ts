import { checkDatasetName } from '../run/datasets.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../io/checkpoint.js';
import { describeFsError } from '../util/fs_error.js';
import type { Module } from '../nn/module.js';
import { str, UsageError, type OptionSpec, type Parsed } from './args.js';
import { readRunConfig } from '../run/run_dir.js';
import { createModel, newRunConfig, type RunConfig } from '../run/setup.js';

export const trainedModelOptions: OptionSpec = {
  run: { type: 'string' },
  weights: { type: 'string' },
  model: { type: 'string' },
  dataset: { type: 'string' },
  data: { type: 'string' },
};

export const trainedModelHelp = `  --run DIR             a run directory written by torchlit train
  --weights FILE        or a safetensors state dict (torchlit's or PyTorch's) ...
  --model NAME          ... of this zoo model (needed with --weights)
  --dataset NAME        the dataset (default: the run's, or the model's tutorial)
  --data DIR            where datasets are found or downloaded to`;

export interface TrainedModel {
  cfg: RunConfig;
  model: Module;
  weights: string;
}

/** Weights holding NaN or infinity give NaN outputs that still pick a class: refused, naming the tensor. */
function refuseNonFinite(model: Module, weights: string): void {
  for (const [name, t] of Object.entries(model.stateDict())) {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') continue;
    let bad = 0;
    for (const v of t.data as Float32Array | Float64Array) if (!Number.isFinite(v)) bad++;
    if (bad > 0)
      throw new UsageError(
        `${weights}: ${name} holds ${bad} NaN or infinite values of ${t.numel()}; the weights are damaged, or the training that wrote them diverged (train again with a lower --lr)`,
      );
  }
}

/**
 * The model named by --run or by --weights with --model, its weights loaded, in eval mode. Weights
 * holding NaN or infinity are refused unless `allowNonFinite` (pictures of a run trained on past NaN).
 */
export function trainedModel(p: Parsed, allowNonFinite = false): TrainedModel {
  const run = str(p, 'run');
  const weightsArg = str(p, 'weights');
  const dataset = str(p, 'dataset');
  if (dataset !== undefined) checkDatasetName(dataset);
  let cfg: RunConfig;
  let weights: string;
  if (run) {
    if (weightsArg) throw new UsageError('give --run or --weights, not both');
    cfg = readRunConfig(run);
    weights = join(run, 'model.safetensors');
    if (!existsSync(weights))
      throw new UsageError(`${run} has no model.safetensors yet: train it first (torchlit train --out ${run})`);
  } else if (weightsArg) {
    const model = str(p, 'model');
    if (!model) throw new UsageError('--weights needs --model NAME to know which network the weights belong to');
    if (!existsSync(weightsArg)) throw new UsageError(`weights file ${weightsArg} does not exist`);
    cfg = newRunConfig(model, {});
    weights = weightsArg;
  } else {
    throw new UsageError('say which model: --run DIR, or --weights FILE --model NAME');
  }
  if (dataset) cfg.dataset = dataset;
  const dataRoot = str(p, 'data');
  if (dataRoot) cfg.dataRoot = dataRoot;
  const model = createModel(cfg);
  try {
    loadModel(model, weights);
  } catch (e) {
    throw new UsageError(describeFsError(e) ?? (e as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  if (!allowNonFinite) refuseNonFinite(model, weights);
  model.eval();
  return { cfg, model, weights };
}
