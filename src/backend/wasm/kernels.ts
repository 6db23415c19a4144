import { KERNELS_WASM_BASE64 } from './kernels_binary.js';

/** The exports of assembly/index.ts; pointers are byte offsets into the module's memory. */
export interface KernelExports {
  packA(a: number, m: number, k: number, transA: number, dst: number): void;
  packB(b: number, k: number, n: number, transB: number, dst: number): void;
  gemm(pa: number, b: number, stripBytes: number, rowBytes: number, c: number, m: number, n: number, k: number, ldc: number, accumulate: number): void;
  packedASize(m: number, k: number): number;
  packedBSize(k: number, n: number): number;
  im2col(x: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, oh: number, ow: number, col: number): void;
  gemmNT(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: number): void;
  col2im(col: number, dx: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, oh: number, ow: number): void;
}

const PAGE = 65536;
/** Bytes below this belong to the module itself. */
const BASE = PAGE;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(s, 'base64'));
  const bin = atob(s);
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

/**
 * The kernel module and a scratch heap in its memory. Each backend call takes what it needs with
 * `alloc` after `reset`; nothing outlives the call, so there is nothing to free.
 */
export class WasmKernels {
  readonly memory: WebAssembly.Memory;
  readonly k: KernelExports;
  private top = BASE;
  private f32view: Float32Array;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 32 });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.k = instance.exports as unknown as KernelExports;
    this.f32view = new Float32Array(this.memory.buffer);
  }

  static load(): WasmKernels {
    return new WasmKernels(new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64)));
  }

  reset(): void {
    this.top = BASE;
  }

  /** A 64-byte aligned block of `floats` float32 values; returns its byte offset. */
  alloc(floats: number): number {
    const ptr = this.top;
    this.top = ptr + Math.ceil((floats * 4) / 64) * 64;
    const needed = this.top - this.memory.buffer.byteLength;
    if (needed > 0) {
      this.memory.grow(Math.ceil(needed / PAGE));
      this.f32view = new Float32Array(this.memory.buffer);
    }
    return ptr;
  }

  f32(ptr: number, length: number): Float32Array {
    if (this.f32view.buffer !== this.memory.buffer) this.f32view = new Float32Array(this.memory.buffer);
    return this.f32view.subarray(ptr >> 2, (ptr >> 2) + length);
  }

  /** Copies `src` into a fresh block and returns its offset. */
  put(src: ArrayLike<number>): number {
    const ptr = this.alloc(src.length);
    this.f32(ptr, src.length).set(src);
    return ptr;
  }
}

export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(decodeBase64(KERNELS_WASM_BASE64));
  } catch {
    return false;
  }
}
