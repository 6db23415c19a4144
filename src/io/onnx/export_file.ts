import type { Module } from '../../nn/module.js';
import type { Tensor } from '../../tensor/tensor.js';
import { writeFileAtomic } from '../../util/atomic_file.js';
import { onnxBytes, type OnnxExportOptions } from './export.js';

/**
 * Writes the model to `path` as ONNX (see `onnxBytes`), all or nothing.
 * @pytorch `torch.onnx.export`
 */
export function exportOnnx(model: Module, exampleInput: Tensor, path: string, opts: OnnxExportOptions = {}): void {
  writeFileAtomic(path, onnxBytes(model, exampleInput, opts));
}
