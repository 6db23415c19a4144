// Model and optimizer state as safetensors files, written atomically and read without trusting them.
import { readFileSync, statSync } from 'node:fs';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../util/atomic_file.js';
import {
  parseSafetensors,
  SafetensorsError,
  serializeSafetensors,
  type Metadata,
  type SafetensorsContents,
} from './safetensors.js';
import { className } from '../util/class_name.js';

/**
 * Reads and checks a safetensors file; a missing file or damaged bytes get an error naming the file.
 * @pytorch `safetensors.torch.load_file`
 */
export function loadSafetensors(path: string): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    // A device or pipe (/dev/zero) would be read forever.
    if (!statSync(path).isFile()) throw new SafetensorsError(`${path}: not a regular file`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SafetensorsError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${(e as Error).message})`,
    );
  }
  return parseSafetensors(bytes, path);
}

/**
 * Writes tensors (and string metadata) to a safetensors file, atomically.
 * @pytorch `safetensors.torch.save_file`
 */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Metadata): void {
  writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}

/** Saves `model.stateDict()` under PyTorch's key names (`conv1.weight`, ...): `safetensors.torch.load_file` reads it. */
export function saveModel(model: Module, path: string, metadata: Metadata = {}): void {
  saveSafetensors(path, model.stateDict(), { format: 'pt', model: className(model), ...metadata });
}

/**
 * Loads a safetensors state dict (torchlit's or PyTorch's) into `model`. Any missing, unexpected or
 * mis-shaped key is an error naming the file and the keys, and then no parameter has changed.
 */
export function loadModel(model: Module, path: string): Metadata {
  const { tensors, metadata } = loadSafetensors(path);
  const floating = (dtype: string) => dtype === 'float32' || dtype === 'float64';
  for (const [k, p] of Object.entries(model.stateDict())) {
    const v = Object.hasOwn(tensors, k) ? tensors[k] : undefined;
    if (v && floating(p.dtype) && !floating(v.dtype))
      throw new SafetensorsError(
        `${path}: ${k} holds ${v.dtype} values but the model's ${k} is ${p.dtype}; the file is not weights for this model (or is damaged)`,
      );
  }
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    const from =
      metadata.model && metadata.model !== className(model)
        ? ` (the file holds a ${metadata.model}; pick the matching --model)`
        : '';
    throw new SafetensorsError(`${path}: ${(e as Error).message}${from}`);
  }
  return metadata;
}

const OPTIMIZER_FORMAT = 'torchlit.optimizer.v1';

/**
 * Saves optimizer state as PyTorch lays out `optimizer.state_dict()`: per-parameter buffers under
 * `state.<index>.<name>` (`state.0.momentum_buffer`, `state.3.exp_avg`, a 0-d `state.3.step`),
 * and the parameter groups as JSON in the metadata.
 */
export function saveOptimizer(optimizer: Optimizer<object>, path: string, metadata: Metadata = {}): void {
  const sd = optimizer.stateDict();
  const tensors: Record<string, Tensor> = {};
  const numbers: string[] = [];
  for (const [id, s] of Object.entries(sd.state)) {
    for (const [k, v] of Object.entries(s)) {
      const key = `state.${id}.${k}`;
      if (v instanceof Tensor) tensors[key] = v;
      else {
        tensors[key] = new Tensor(new Float64Array([v]), [], 'float64');
        numbers.push(key);
      }
    }
  }
  saveSafetensors(path, tensors, {
    ...metadata,
    format: OPTIMIZER_FORMAT,
    optimizer: className(optimizer),
    param_groups: JSON.stringify(sd.paramGroups),
    numbers: JSON.stringify(numbers),
  });
}

/** Loads optimizer state saved by `saveOptimizer`; a file from another optimizer or model is an error that changes nothing. */
export function loadOptimizer(optimizer: Optimizer<object>, path: string): void {
  const { tensors, metadata } = loadSafetensors(path);
  const kind = className(optimizer);
  if (metadata.format !== OPTIMIZER_FORMAT)
    throw new SafetensorsError(
      `${path}: not a torchlit optimizer state file (metadata format is ${JSON.stringify(metadata.format ?? null)})`,
    );
  if (metadata.optimizer !== kind)
    throw new SafetensorsError(
      `${path}: holds ${metadata.optimizer} state, but the optimizer is ${kind}; use --optimizer ${metadata.optimizer?.toLowerCase()}`,
    );
  let paramGroups: OptimizerStateDict<object>['paramGroups'];
  let numbers: Set<string>;
  try {
    paramGroups = JSON.parse(metadata.param_groups) as OptimizerStateDict<object>['paramGroups'];
    numbers = new Set(JSON.parse(metadata.numbers ?? '[]') as string[]);
  } catch (e) {
    throw new SafetensorsError(`${path}: metadata param_groups is not valid JSON (${(e as Error).message})`);
  }
  const state: Record<number, ParamState> = {};
  for (const [key, t] of Object.entries(tensors)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(key);
    if (!m)
      throw new SafetensorsError(`${path}: tensor '${key}' is not an optimizer buffer (expected state.<index>.<name>)`);
    const s = (state[Number(m[1])] ??= {});
    s[m[2]] = numbers.has(key) ? t.item() : t;
  }
  try {
    optimizer.loadStateDict({ state, paramGroups });
  } catch (e) {
    throw new SafetensorsError(`${path}: ${(e as Error).message}`);
  }
}
