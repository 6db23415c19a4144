import type { Backend } from '../types.js';
import type { WasmKernels } from './kernels.js';
import type { SplitMethod } from './split_batchnorm.js';

export type ArrayKind = 'f32' | 'f64' | 'i32' | 'u8';

/**
 * An argument of a recorded backend call in a form another thread can rebuild over the same
 * memory: an array by kind, byte offset and length (moved by the replaying thread's offset when
 * `relocate`), `undefined`, or any other value as it was.
 */
export type EncodedArg =
  { array: ArrayKind; ptr: number; length: number; relocate: boolean } | { undefined: true } | { value: unknown };

export interface EncodedOp {
  method: Exclude<keyof Backend, 'name'> | SplitMethod;
  args: EncodedArg[];
}

/** A backend call ready to run again. */
export type BoundOp = readonly [fn: (...args: unknown[]) => void, args: unknown[]];

export function arrayKind(a: ArrayBufferView): ArrayKind | null {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint8Array) return 'u8';
  return null;
}

/** A view of `kind` over `kernels`' memory. */
export function viewAt(
  kernels: WasmKernels,
  kind: ArrayKind,
  ptr: number,
  length: number,
): Float32Array | Float64Array | Int32Array | Uint8Array {
  switch (kind) {
    case 'f32':
      return kernels.f32(ptr, length);
    case 'f64':
      return kernels.f64(ptr, length);
    case 'i32':
      return kernels.int32(ptr, length);
    case 'u8':
      return kernels.u8(ptr, length);
  }
}

/** Rebuilds recorded calls on `backend` (or `split`, for a split step's batch norm), their relocatable arrays moved by `delta` bytes. */
export function bindOps(
  ops: readonly EncodedOp[],
  backend: Backend,
  kernels: WasmKernels,
  delta: number,
  split: Record<SplitMethod, (...args: never[]) => void>,
): BoundOp[] {
  return ops.map((op) => {
    const args = op.args.map((a) => decodeArg(kernels, a, delta));
    if (op.method in split) return [split[op.method as SplitMethod] as (...args: unknown[]) => void, args] as const;
    return [(backend[op.method as keyof Backend] as (...args: unknown[]) => void).bind(backend), args] as const;
  });
}

/** An encoded argument over `kernels`' memory, a relocatable array moved by `delta` bytes. */
export function decodeArg(kernels: WasmKernels, a: EncodedArg, delta: number): unknown {
  if ('array' in a) return viewAt(kernels, a.array, a.ptr + (a.relocate ? delta : 0), a.length);
  return 'undefined' in a ? undefined : a.value;
}

export function runOps(ops: readonly BoundOp[]): void {
  for (const [fn, args] of ops) fn(...args);
}
