// Tensors that went through structured clone (postMessage, IndexedDB) come back as plain objects
// holding their fields: these give them back their class, checking every field.
import type { DType } from './dtype.js';
import { Tensor } from './tensor.js';

const STORAGE: Record<DType, new (...args: never[]) => ArrayBufferView> = {
  float32: Float32Array,
  float64: Float64Array,
  int64: Float64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/**
 * `v` as a Tensor: itself, or the Tensor a structured clone of one stood for; null when it is
 * neither.
 */
export function reviveTensor(v: unknown): Tensor | null {
  if (v instanceof Tensor) return v;
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Partial<Record<keyof Tensor, unknown>>;
  const dtype = o.dtype as DType;
  if (typeof dtype !== 'string' || !Object.hasOwn(STORAGE, dtype) || !(o.data instanceof STORAGE[dtype])) return null;
  const dims = (a: unknown): a is number[] => Array.isArray(a) && a.every((d) => Number.isInteger(d) && d >= 0);
  if (!dims(o.shape) || !dims(o.strides) || o.strides.length !== o.shape.length) return null;
  const offset = o.offset ?? 0;
  if (!Number.isInteger(offset) || (offset as number) < 0) return null;
  const data = o.data as Tensor['data'];
  const last = o.shape.reduce((end, d, i) => (d === 0 ? -Infinity : end + (d - 1) * (o.strides as number[])[i]), 0);
  if ((offset as number) + last >= data.length) return null;
  return new Tensor(data, o.shape, dtype, o.strides, offset as number);
}

/** Whether `a`'s memory is a SharedArrayBuffer (WebAssembly memory), which nothing can clone or store. */
export function inSharedMemory(a: ArrayBufferView): boolean {
  return Object.prototype.toString.call(a.buffer) === '[object SharedArrayBuffer]';
}
