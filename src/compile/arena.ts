import { activeWasmKernels } from '../backend/index.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { withFloatAllocator } from '../tensor/dtype.js';

/** Runs `fn` taking new float32 tensors from `kernels`' memory; all of it is released afterwards. */
export function inArena<T>(kernels: WasmKernels, fn: () => T): T {
  const mark = kernels.mark();
  try {
    const alloc = Object.assign((n: number) => kernels.f32(kernels.alloc(n), n), {
      int32: (n: number) => kernels.int32(kernels.alloc(n), n),
    });
    return withFloatAllocator(alloc, fn);
  } finally {
    kernels.release(mark);
  }
}

/**
 * Runs `fn` with every float32 tensor it creates placed in WebAssembly memory and released when
 * it returns, so a loop that keeps only numbers (an evaluation pass) leaves no garbage and the
 * kernels skip their copies. Tensors made inside must not be used after it returns: return
 * numbers, or `clone()` outside. Without the WebAssembly backend it simply runs `fn`.
 */
export function withArena<T>(fn: () => T): T {
  const kernels = activeWasmKernels();
  return kernels ? inArena(kernels, fn) : fn();
}
