// Model and optimizer state as safetensors bytes, read without trusting them: the same in Node and a page.
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import { Tensor } from '../tensor/tensor.js';
import { parseSafetensors, SafetensorsError, serializeSafetensors, type Metadata } from './safetensors.js';
import { className } from '../util/class_name.js';

/** `model.stateDict()` as safetensors bytes under PyTorch's key names (`conv1.weight`, ...), the model's class in the metadata. */
export function modelBytes(model: Module, metadata: Metadata = {}): Uint8Array {
  return serializeSafetensors(model.stateDict(), { format: 'pt', model: className(model), ...metadata });
}

/**
 * Loads a safetensors state dict (torchlit's or PyTorch's) into `model`. Any missing, unexpected or
 * mis-shaped key is an error naming the file (`path`) and the keys, and then no parameter has changed.
 */
export function loadModelBytes(model: Module, bytes: Uint8Array, path: string): Metadata {
  const { tensors, metadata } = parseSafetensors(bytes, path);
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
export function optimizerBytes(optimizer: Optimizer<object>, metadata: Metadata = {}): Uint8Array {
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
  return serializeSafetensors(tensors, {
    ...metadata,
    format: OPTIMIZER_FORMAT,
    optimizer: className(optimizer),
    param_groups: JSON.stringify(sd.paramGroups),
    numbers: JSON.stringify(numbers),
  });
}

/** Loads optimizer state from `optimizerBytes`; state of another optimizer or model is an error that changes nothing. */
export function loadOptimizerBytes(optimizer: Optimizer<object>, bytes: Uint8Array, path: string): void {
  const { tensors, metadata } = parseSafetensors(bytes, path);
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
