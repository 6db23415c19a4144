import { referenceBackend } from '../reference/index.js';
import type { Backend } from '../types.js';
import { WasmKernels } from './kernels.js';
import { wasmBatchNorm } from './ops/batchnorm.js';
import { WasmContext } from './ops/context.js';
import { wasmConvForward } from './ops/conv.js';
import { wasmConvBackward } from './ops/conv_backward.js';
import { wasmElementwise } from './ops/elementwise.js';
import { wasmLoss } from './ops/loss.js';
import { wasmMatmul } from './ops/matmul.js';
import { wasmOptim } from './ops/optim.js';
import { wasmPool } from './ops/pool.js';
import { wasmSoftmax } from './ops/softmax.js';

/**
 * WebAssembly SIMD kernels for float32, one file of ops/ a family. Matmul, convolutions and
 * pooling run here for any arrays (copied in when they live elsewhere); elementwise, softmax, loss
 * and optimizer kernels run here only on arrays already in WebAssembly memory (compiled steps,
 * arenas), since copying would cost more than they do. Everything else, and float64, uses the
 * reference kernels.
 */
export function createWasmBackend(kernels: WasmKernels = WasmKernels.load(), threads = true): Backend {
  const ctx = new WasmContext(kernels, threads);
  const conv = wasmConvForward(ctx);
  return {
    ...referenceBackend,
    name: 'wasm',
    ...wasmSoftmax(ctx),
    ...wasmLoss(ctx),
    ...wasmOptim(ctx),
    ...wasmElementwise(ctx),
    ...wasmMatmul(ctx),
    conv2dForward: conv.conv2dForward,
    ...wasmConvBackward(ctx, conv),
    ...wasmPool(ctx),
    ...wasmBatchNorm(ctx),
  };
}
