/**
 * Files in a page: safetensors bytes, model and optimizer checkpoints in IndexedDB, as downloads
 * and from uploads; MNIST-style input from any image.
 * @module
 */
export {
  serializeSafetensors,
  parseSafetensors,
  SafetensorsError,
  type Metadata,
  type SafetensorsContents,
} from './safetensors.js';
export { modelBytes, loadModelBytes, optimizerBytes, loadOptimizerBytes } from './state_bytes.js';
export { onnxBytes, type OnnxExportOptions } from './onnx/export.js';
export { pytorchSource, type PytorchExportOptions } from './export/pytorch_source.js';
export {
  saveModel,
  loadModel,
  loadOptimizer,
  listModels,
  removeModel,
  type BrowserCheckpointOptions,
} from './browser_store.js';
export { toMnistInput, resizeArea, type MnistInput } from './mnist_input.js';
export { readBinary, type BinarySource } from '../util/web_bytes.js';
