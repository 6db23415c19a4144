// Model and optimizer state as safetensors files, written atomically and read without trusting them.
import { readFileSync, statSync } from 'node:fs';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../util/atomic_file.js';
import {
  parseSafetensors,
  SafetensorsError,
  serializeSafetensors,
  type Metadata,
  type SafetensorsContents,
} from './safetensors.js';
import { loadModelBytes, loadOptimizerBytes, modelBytes, optimizerBytes } from './state_bytes.js';

/**
 * Reads and checks a safetensors file; a missing file or damaged bytes get an error naming the file.
 * @pytorch `safetensors.torch.load_file`
 */
export function loadSafetensors(path: string): SafetensorsContents {
  return parseSafetensors(readChecked(path), path);
}

/** A file's bytes; a missing file, or one that is not a regular file, is a SafetensorsError naming it. */
function readChecked(path: string): Uint8Array {
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
  return bytes;
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
  writeFileAtomic(path, modelBytes(model, metadata));
}

/**
 * Loads a safetensors state dict (torchlit's or PyTorch's) into `model`. Any missing, unexpected or
 * mis-shaped key is an error naming the file and the keys, and then no parameter has changed.
 */
export function loadModel(model: Module, path: string): Metadata {
  return loadModelBytes(model, readChecked(path), path);
}

/**
 * Saves optimizer state as PyTorch lays out `optimizer.state_dict()`: per-parameter buffers under
 * `state.<index>.<name>` (`state.0.momentum_buffer`, `state.3.exp_avg`, a 0-d `state.3.step`),
 * and the parameter groups as JSON in the metadata.
 */
export function saveOptimizer(optimizer: Optimizer<object>, path: string, metadata: Metadata = {}): void {
  writeFileAtomic(path, optimizerBytes(optimizer, metadata));
}

/** Loads optimizer state saved by `saveOptimizer`; a file from another optimizer or model is an error that changes nothing. */
export function loadOptimizer(optimizer: Optimizer<object>, path: string): void {
  loadOptimizerBytes(optimizer, readChecked(path), path);
}
