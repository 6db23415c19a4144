import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../../nn/module.js';
import type { Tensor } from '../../tensor/tensor.js';
import { writeFileAtomic } from '../../util/atomic_file.js';
import { saveModel } from '../checkpoint.js';
import { pytorchSource, type PytorchExportOptions } from './pytorch_source.js';
import { SAFETENSORS_FALLBACK_PY } from './safetensors_fallback.js';

/**
 * Writes the model for PyTorch into `dir`: `model.py` (see `pytorchSource`), `model.safetensors`
 * (the state dict) and `safetensors_fallback.py` (load_file and save_file where the safetensors
 * package is missing). The source is written first, so a model it cannot express leaves `dir` as it was.
 */
export function exportPytorch(model: Module, exampleInput: Tensor, dir: string, opts: PytorchExportOptions = {}): void {
  const source = pytorchSource(model, exampleInput, opts);
  mkdirSync(dir, { recursive: true });
  saveModel(model, join(dir, 'model.safetensors'));
  writeFileAtomic(join(dir, 'safetensors_fallback.py'), SAFETENSORS_FALLBACK_PY);
  writeFileAtomic(join(dir, 'model.py'), source);
}
