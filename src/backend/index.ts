import { referenceBackend } from './reference/index.js';
import { createWasmBackend } from './wasm/backend.js';
import { fetchKernelFiles, simdSupported, WasmKernels } from './wasm/kernels.js';
import type { Backend } from './types.js';

export type * from './types.js';
export { referenceBackend };

let current: Backend = referenceBackend;
let wasm: Backend | null | undefined;

let wasmKernels: WasmKernels | null = null;

function adopt(kernels: WasmKernels | null): void {
  wasmKernels = kernels;
  wasm = kernels ? createWasmBackend(kernels) : null;
}

/** The WebAssembly SIMD backend, or null where this runtime cannot run it. */
export function wasmBackend(): Backend | null {
  if (wasm === undefined) adopt(simdSupported() ? WasmKernels.load() : null);
  return wasm ?? null;
}

/**
 * Loads the WebAssembly backend without blocking and makes it current where supported (unless
 * TORCHLIT_BACKEND=reference): the way to start in a browser, where the main thread may not
 * compile it synchronously.
 */
export async function initBackend(): Promise<Backend> {
  if (wasm === undefined) {
    await fetchKernelFiles();
    adopt(simdSupported() ? await WasmKernels.loadAsync() : null);
  }
  const chosen = selectDefaultBackend();
  if (chosen === wasm) await wasmKernels!.helperStarted();
  return chosen;
}

/** The memory and allocator behind the WebAssembly backend, when it is the current backend. */
export function activeWasmKernels(): WasmKernels | null {
  return current === wasm ? wasmKernels : null;
}

function envChoice(): string | undefined {
  return typeof process !== 'undefined' ? process.env?.TORCHLIT_BACKEND : undefined;
}

/** Picks the fastest backend this runtime supports, unless TORCHLIT_BACKEND=reference. */
export function selectDefaultBackend(): Backend {
  const choice = envChoice();
  if (choice && choice !== 'wasm' && choice !== 'reference') {
    throw new Error(`TORCHLIT_BACKEND must be 'wasm' or 'reference', got '${choice}'`);
  }
  current = (choice !== 'reference' && wasmBackend()) || referenceBackend;
  // The helper thread takes about 100 ms to start: it starts now, while the caller loads data.
  if (current === wasm) void wasmKernels!.helper;
  return current;
}

/** The backend running kernels now. */
export function backend(): Backend {
  return current;
}

/** Makes `b` the backend that runs every kernel from now on. */
export function setBackend(b: Backend): void {
  current = b;
}

/**
 * The threads kernels run on: 2 where the WebAssembly backend has its helper thread (Node, or a
 * cross-origin isolated page), else 1. Starts the helper where it has not started.
 * @pytorch `torch.get_num_threads`
 */
export function getNumThreads(): number {
  return activeWasmKernels()?.helper ? 2 : 1;
}
