/**
 * Files: images (PNG, JPEG), safetensors, model and optimizer checkpoints, MNIST-style input from any image.
 * @pytorch `torchvision.io`
 * @module
 */
export { readImage, decodeImage, MAX_IMAGE_PIXELS, type ImageReadMode } from './image.js';
export {
  serializeSafetensors,
  parseSafetensors,
  SafetensorsError,
  type Metadata,
  type SafetensorsContents,
} from './safetensors.js';
export { loadSafetensors, saveSafetensors, saveModel, loadModel, saveOptimizer, loadOptimizer } from './checkpoint.js';
export { modelBytes, loadModelBytes, optimizerBytes, loadOptimizerBytes } from './state_bytes.js';
export { writeFileAtomic } from '../util/atomic_file.js';
export { exportOnnx } from './onnx/export_file.js';
export { onnxBytes, type OnnxExportOptions } from './onnx/export.js';
export { exportPytorch } from './export/pytorch_file.js';
export { pytorchSource, type PytorchExportOptions } from './export/pytorch_source.js';
export { toMnistInput, resizeArea, type MnistInput } from './mnist_input.js';
