/** Element types. `int64` values are held exactly (up to 2^53) in a Float64Array. */
export type DType = 'float32' | 'float64' | 'int64' | 'uint8' | 'bool';

export type FloatArray = Float32Array | Float64Array;
/**
 * The typed array behind a tensor: Float32Array for float32, Float64Array for float64 and int64,
 * Uint8Array for uint8 and bool.
 */
export type Storage = Float32Array | Float64Array | Uint8Array;

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * Supplies float32 storage (and int32 scratch, such as pooling indices) from elsewhere (a compiled
 * step's arena), or null to decline. Its contents are unspecified, as with torch.empty: code that
 * needs zeros asks for zeros().
 */
export interface FloatAllocator {
  (length: number): Float32Array | null;
  int32?: (length: number) => Int32Array | null;
  /** float64 and int64 storage, where the allocator also places those (a step being traced). */
  float64?: (length: number) => Float64Array | null;
  /** uint8 and bool storage, likewise. */
  uint8?: (length: number) => Uint8Array | null;
}

let floatAllocator: FloatAllocator | null = null;

/** Runs `fn` with new float32 tensors taken from `alloc` (null: ordinary garbage-collected arrays). */
export function withFloatAllocator<T>(alloc: FloatAllocator | null, fn: () => T): T {
  const prev = floatAllocator;
  floatAllocator = alloc;
  try {
    return fn();
  } finally {
    floatAllocator = prev;
  }
}

/** int32 scratch for kernels (pooling indices), from the current allocator where it offers some. */
export function allocateInt32(length: number): Int32Array {
  return floatAllocator?.int32?.(length) ?? new Int32Array(length);
}

export function allocate(dtype: DType, length: number): Storage {
  switch (dtype) {
    case 'float32':
      return floatAllocator?.(length) ?? new Float32Array(length);
    case 'float64':
    case 'int64':
      return floatAllocator?.float64?.(length) ?? new Float64Array(length);
    case 'uint8':
    case 'bool':
      return floatAllocator?.uint8?.(length) ?? new Uint8Array(length);
  }
}

/** PyTorch's type promotion for the dtypes torchlit has. */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int64' || b === 'int64') return 'int64';
  return 'uint8';
}
