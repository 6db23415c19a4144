import { Helper } from './threads.js';

/** The exports of assembly/index.ts; pointers are byte offsets into the module's memory. */
export interface KernelExports {
  packA(a: number, m: number, k: number, transA: number, dst: number): void;
  packB(b: number, k: number, n: number, transB: number, dst: number): void;
  gemm(
    pa: number,
    b: number,
    stripBytes: number,
    rowBytes: number,
    c: number,
    m: number,
    n: number,
    k: number,
    ldc: number,
    accumulate: number,
  ): void;
  packedASize(m: number, k: number): number;
  packedBSize(k: number, n: number): number;
  im2col(
    x: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
    col: number,
  ): void;
  gemmNT(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: number): void;
  maxPoolForward(
    x: number,
    out: number,
    argmax: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
  ): void;
  maxPoolBackward(dy: number, argmax: number, dx: number, planes: number, planeIn: number, planeOut: number): void;
  binary(op: number, a: number, b: number, bStep: number, out: number, n: number): void;
  binaryRows(op: number, a: number, b: number, out: number, rows: number, inner: number): void;
  binaryCols(op: number, a: number, b: number, out: number, rows: number, cols: number): void;
  relu(x: number, out: number, n: number): void;
  channelSums(x: number, n: number, c: number, l: number, out: number): void;
  convForwardRange(
    x: number,
    pa: number,
    out: number,
    col: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
    oc: number,
    accumulate: number,
  ): void;
  convBackwardInputRange(
    dy: number,
    pa: number,
    dx: number,
    col: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
    oc: number,
  ): void;
  convBackwardWeightRange(
    x: number,
    dy: number,
    dw: number,
    col: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
    oc: number,
    block: number,
  ): void;
  convBackwardInputDirectRange(
    dy: number,
    pa: number,
    dx: number,
    offsets: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    oh: number,
    ow: number,
    oc: number,
  ): void;
  weightDirectScratchFloats(
    oc: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
  ): number;
  permuteTaps(w: number, oc: number, c: number, kh: number, kw: number, dst: number): void;
  convWeightDirectRange(
    x: number,
    dy: number,
    dw: number,
    part: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
    oc: number,
  ): void;
  packDirectWeights(w: number, oc: number, c: number, kh: number, kw: number, dst: number): void;
  directScratchSize(c: number, hp: number, wp: number): number;
  convDirectRange(
    x: number,
    scratch: number,
    packed: number,
    bias: number,
    out: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    ph: number,
    pw: number,
    kh: number,
    kw: number,
    oc: number,
    oh: number,
    ow: number,
  ): void;
  packWinogradWeights(w: number, oc: number, c: number, dst: number, o0: number, o1: number, flip: boolean): void;
  winogradScratchSize(c: number, h: number, w: number, oc: number): number;
  convWinogradRange(
    x: number,
    scratch: number,
    u: number,
    bias: number,
    out: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    oc: number,
  ): void;
  winogradWeightScratchSize(c: number, h: number, w: number, oc: number): number;
  convWinogradWeightRange(
    x: number,
    dy: number,
    dw: number,
    scratch: number,
    s0: number,
    s1: number,
    c: number,
    h: number,
    w: number,
    oc: number,
  ): void;
  softmaxRows(x: number, out: number, rows: number, size: number, log: number): void;
  softmaxRowsBackward(dy: number, y: number, dx: number, rows: number, size: number, log: number): void;
  nllRows(logp: number, target: number, loss: number, n: number, c: number): number;
  nllRowsBackward(dloss: number, target: number, dlogp: number, n: number, c: number): void;
  sgdStep(
    param: number,
    grad: number,
    buf: number,
    n: number,
    first: number,
    lr: number,
    momentum: number,
    dampening: number,
    nesterov: number,
    weightDecay: number,
  ): void;
  adamStep(
    param: number,
    grad: number,
    m: number,
    v: number,
    vmax: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    decoupled: number,
    step: number,
  ): void;
  col2im(
    col: number,
    dx: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    oh: number,
    ow: number,
  ): void;
  batchNormStatsRange(
    x: number,
    mean: number,
    invstd: number,
    runMean: number,
    runVar: number,
    n: number,
    c: number,
    hw: number,
    eps: number,
    factor: number,
    c0: number,
    c1: number,
  ): void;
  batchNormApplyRange(
    x: number,
    mean: number,
    stat: number,
    weight: number,
    bias: number,
    out: number,
    n: number,
    c: number,
    hw: number,
    eps: number,
    fromVar: number,
    c0: number,
    c1: number,
  ): void;
  batchNormBackwardRange(
    x: number,
    dy: number,
    mean: number,
    stat: number,
    weight: number,
    dx: number,
    dweight: number,
    dbias: number,
    n: number,
    c: number,
    hw: number,
    eps: number,
    fromVar: number,
    c0: number,
    c1: number,
  ): void;
  batchNormPartialSums(x: number, mean: number, n: number, c: number, hw: number, sums: number): void;
  batchNormGradientSums(
    x: number,
    dy: number,
    mean: number,
    invstd: number,
    dweight: number,
    dbias: number,
    n: number,
    c: number,
    hw: number,
    sums: number,
  ): void;
  batchNormGradInputSplit(
    x: number,
    dy: number,
    mean: number,
    invstd: number,
    weight: number,
    dx: number,
    n: number,
    c: number,
    hw: number,
    first: number,
    second: number,
    count: number,
  ): void;
}

const PAGE = 65536;
/** Bytes below this belong to the module itself. */
const BASE = PAGE;

const env = typeof process !== 'undefined' ? (process.env ?? {}) : {};

/**
 * The kernels ship as two files beside this module, with and without relaxed SIMD; bundlers that
 * follow `new URL(..., import.meta.url)` (Vite, webpack) emit them as assets.
 */
const KERNEL_FILES = {
  plain: new URL('./kernels.wasm', import.meta.url),
  relaxed: new URL('./kernels-relaxed.wasm', import.meta.url),
};
type KernelBuild = keyof typeof KERNEL_FILES;
const kernelFiles = new Map<KernelBuild, Uint8Array<ArrayBuffer>>();
const isNode = typeof process !== 'undefined' && Boolean(process.versions?.node);
/** Node reads the files synchronously (its kernels load synchronously); a page fetches them first. */
let readFile: ((url: URL) => Uint8Array) | null = null;
if (isNode) {
  // In a try, so that bundlers for the browser leave the import alone.
  try {
    readFile = (await import('node:fs')).readFileSync;
  } catch {
    // Then fetched, as in a page.
  }
}

function missingFile(build: KernelBuild, why: string): Error {
  return new Error(
    `torchlit: cannot load its kernels from ${KERNEL_FILES[build].href} (${why}); serve the package's ` +
      'dist/src/backend/wasm/kernels.wasm and kernels-relaxed.wasm beside the script that imports torchlit ' +
      '(Vite and webpack copy them themselves; with esbuild, copy them)',
  );
}

/** The bytes of a build, read now where the file system allows (Node), else fetched by `fetchKernelFiles`. */
function kernelFile(build: KernelBuild): Uint8Array<ArrayBuffer> {
  let bytes = kernelFiles.get(build);
  if (!bytes) {
    const url = KERNEL_FILES[build];
    if (!readFile || url.protocol !== 'file:')
      throw new Error('torchlit: the kernels are not loaded yet: await initBackend() first (the browser entry does)');
    try {
      bytes = new Uint8Array(readFile(url));
    } catch (e) {
      throw missingFile(build, (e as Error).message);
    }
    kernelFiles.set(build, bytes);
  }
  return bytes;
}

async function fetchKernelFile(build: KernelBuild): Promise<void> {
  if (kernelFiles.has(build) || (readFile && KERNEL_FILES[build].protocol === 'file:')) return;
  let res: Response;
  try {
    res = await fetch(KERNEL_FILES[build]);
  } catch (e) {
    throw missingFile(build, (e as Error).message);
  }
  if (!res.ok) throw missingFile(build, `HTTP ${res.status}`);
  kernelFiles.set(build, new Uint8Array(await res.arrayBuffer()));
}

const wantRelaxed = env.TORCHLIT_RELAXED_SIMD !== '0';

/** Fetches the build this runtime will run (the relaxed one where it validates), without blocking. */
export async function fetchKernelFiles(): Promise<void> {
  if (typeof WebAssembly !== 'object') return;
  if (wantRelaxed) await fetchKernelFile('relaxed');
  if (!relaxedSimd()) await fetchKernelFile('plain');
}

/**
 * Node 20 keeps relaxed SIMD (fused multiply-add, 20-35% faster kernels) behind a V8 flag; it is
 * standard from V8 11.4. Turn it on before compiling, unless TORCHLIT_RELAXED_SIMD=0.
 */
if (wantRelaxed && isNode) {
  try {
    if (!WebAssembly.validate(kernelFile('relaxed'))) {
      (await import('node:v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');
    }
  } catch {
    // Without the flag the plain build runs.
  }
}

let relaxedValid: boolean | undefined;

/** Whether the kernels in use fuse multiply and add (relaxed SIMD). */
export function relaxedSimd(): boolean {
  relaxedValid ??= wantRelaxed && WebAssembly.validate(kernelFile('relaxed'));
  return relaxedValid;
}

/**
 * The relaxed-SIMD build where this runtime validates it, else the plain SIMD build; importing
 * unshared memory where this runtime has no shared memory.
 */
function kernelBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const bytes = relaxedSimd() ? kernelFile('relaxed') : kernelFile('plain');
  return shared ? bytes : importUnsharedMemory(bytes);
}

/**
 * The kernel module and a stack allocator over its shared memory. Kernel calls take temporaries
 * between `mark()` and `release()`; a compiled training step keeps parameters below its marks and
 * a per-step arena above them. Shared memory never detaches on growth, so views stay valid.
 */
export class WasmKernels {
  readonly memory: WebAssembly.Memory;
  readonly k: KernelExports;
  private top = BASE;
  /** The highest `top` reached since it was last set: how far temporaries went. */
  highWater = BASE;
  /** Every buffer object this memory has shown; growing shared memory makes a new one each time. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  private helperThread: Helper | null | undefined;
  private readonly module: WebAssembly.Module;

  private constructor(module: WebAssembly.Module, instance: WebAssembly.Instance, memory: WebAssembly.Memory) {
    this.memory = memory;
    this.k = instance.exports as unknown as KernelExports;
    this.module = module;
  }

  /**
   * Kernels over memory another thread allocates from, for a helper replaying a step plan: its
   * temporaries start at `base`, and it never hands work to a thread of its own.
   */
  static attach(
    module: WebAssembly.Module,
    instance: WebAssembly.Instance,
    memory: WebAssembly.Memory,
    base: number,
  ): WasmKernels {
    const kernels = new WasmKernels(module, instance, memory);
    kernels.helperThread = null;
    kernels.top = kernels.highWater = base;
    return kernels;
  }

  /** Compiles and instantiates synchronously (Node; browsers allow this only in workers). */
  static load(): WasmKernels {
    const memory = newMemory();
    const module = new WebAssembly.Module(kernelBytes(isShared(memory)));
    return new WasmKernels(module, new WebAssembly.Instance(module, { env: { memory } }), memory);
  }

  /** Compiles and instantiates without blocking, as a browser's main thread requires. */
  static async loadAsync(): Promise<WasmKernels> {
    await fetchKernelFiles();
    const memory = newMemory();
    const module = await WebAssembly.compile(kernelBytes(isShared(memory)));
    return new WasmKernels(module, await WebAssembly.instantiate(module, { env: { memory } }), memory);
  }

  /** Whether the memory is shared (another thread may work in it), as everywhere but some browsers' non-isolated pages. */
  get shared(): boolean {
    return isShared(this.memory);
  }

  /** The second thread, started on first use; null where threads are unavailable or turned off. */
  get helper(): Helper | null {
    if (this.helperThread === undefined) this.helperThread = Helper.create(this.module, this.memory);
    return this.helperThread?.available ? this.helperThread : null;
  }

  /** Starts the helper thread and waits, without blocking, until it runs; false where there is none. */
  async helperStarted(): Promise<boolean> {
    void this.helper;
    if (!this.helperThread) return false;
    if (await this.helperThread.started()) return true;
    console.warn('torchlit: the helper thread did not start; training runs on one thread');
    this.helperThread = null;
    return false;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Starts measuring temporaries from the current top. */
  resetHighWater(): void {
    this.highWater = this.top;
  }

  /**
   * A 64-byte aligned block of `floats` float32 values; returns its byte offset. Each block has
   * 32 bytes of slack after it, which the GEMM's 8-wide strips may read (and ignore).
   */
  alloc(floats: number): number {
    const ptr = this.top;
    this.top = ptr + Math.ceil((floats * 4 + 32) / 64) * 64;
    if (this.top > this.highWater) this.highWater = this.top;
    const needed = this.top - this.memory.buffer.byteLength;
    if (needed > 0) {
      try {
        this.memory.grow(Math.ceil(needed / PAGE));
      } catch {
        this.top = ptr;
        const mib = (b: number) => Math.round(b / 2 ** 20);
        throw new RangeError(
          `WebAssembly memory is full: ${mib(ptr)} MiB in use and ${mib(floats * 4)} MiB more asked for, past its ${mib(this.shared ? MAX_PAGES * PAGE : this.memory.buffer.byteLength)} MiB limit; run smaller batches (evaluate() runs a large batch in chunks)`,
        );
      }
    }
    return ptr;
  }

  f32(ptr: number, length: number): Float32Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer, ptr, length);
  }

  /** Whether `a` already lives in this module's memory (under any of its buffer objects). */
  owns(a: ArrayBufferView): boolean {
    return this.buffers.has(a.buffer);
  }

  /** The offset of `src` in memory: where it already lives, or a fresh copy. */
  input(src: Float32Array): number {
    if (this.owns(src)) return src.byteOffset;
    const ptr = this.alloc(src.length);
    this.f32(ptr, src.length).set(src);
    return ptr;
  }

  /** Copies int32 values into a fresh block and returns its offset. */
  putInt32(src: Int32Array): number {
    const ptr = this.alloc(src.length);
    new Int32Array(this.memory.buffer, ptr, src.length).set(src);
    return ptr;
  }

  int32(ptr: number, length: number): Int32Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Int32Array(buffer, ptr, length);
  }

  /** A float64 view; blocks from `alloc(2 * length)` hold `length` of them. */
  f64(ptr: number, length: number): Float64Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float64Array(buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Uint8Array(buffer, ptr, length);
  }

  /**
   * Where a kernel may write `dst`: in place when it lives in memory, else a block copied back by
   * the returned `done` (`keep` copies the current contents in first, for accumulating kernels).
   */
  output(dst: Float32Array, keep = false): { ptr: number; done: () => void } {
    if (this.owns(dst)) return { ptr: dst.byteOffset, done: () => {} };
    const ptr = keep ? this.input(dst) : this.alloc(dst.length);
    return { ptr, done: () => dst.set(this.f32(ptr, dst.length)) };
  }
}

/** The memory's maximum in pages (1 GiB), as scripts/build_wasm.mjs declares it. */
const MAX_PAGES = 16384;

/**
 * Unshared memory is reserved whole up front (growing it would detach every view a compiled step
 * holds): this many pages, halved until the runtime grants it.
 */
const UNSHARED_PAGES = 8192;
const MIN_UNSHARED_PAGES = 1024;

/**
 * Shared where the runtime allows it (Node; Chromium even in a page that is not cross-origin
 * isolated), so a helper thread can work in it and growth never detaches views. Elsewhere (or
 * with TORCHLIT_SHARED_MEMORY=0) unshared memory of a fixed size: one thread.
 */
function newMemory(): WebAssembly.Memory {
  const choice = env.TORCHLIT_SHARED_MEMORY;
  if (choice !== undefined && choice !== '0' && choice !== '1')
    throw new Error(`TORCHLIT_SHARED_MEMORY must be 0 or 1, got '${choice}'`);
  if (choice !== '0') {
    try {
      return new WebAssembly.Memory({ initial: 32, maximum: MAX_PAGES, shared: true });
    } catch {
      // This runtime keeps shared memory for cross-origin isolated pages.
    }
  }
  for (let pages = UNSHARED_PAGES; ; pages >>= 1) {
    try {
      return new WebAssembly.Memory({ initial: pages, maximum: pages });
    } catch (e) {
      if (pages <= MIN_UNSHARED_PAGES) throw e;
    }
  }
}

function isShared(memory: WebAssembly.Memory): boolean {
  return Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]';
}

/**
 * The module with its memory import declared unshared (flags 0x03 -> 0x01, same length), for
 * runtimes without shared memory. Its atomic instructions stay valid on unshared memory.
 */
function importUnsharedMemory(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  const leb = (at: number): [number, number] => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = out[at++];
      value |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) return [value >>> 0, at];
    }
  };
  let at = 8;
  while (at < out.length) {
    const id = out[at];
    const [size, body] = leb(at + 1);
    if (id === 2) {
      let [count, p] = leb(body);
      for (; count > 0; count--) {
        let len: number;
        [len, p] = leb(p);
        p += len;
        [len, p] = leb(p);
        p += len;
        const kind = out[p++];
        if (kind === 2) {
          if (out[p] === 0x03) out[p] = 0x01;
          return out;
        }
        if (kind === 0) p = leb(p)[1];
        else if (kind === 1) {
          p++;
          p = out[p] & 1 ? leb(leb(p + 1)[1])[1] : leb(p + 1)[1];
        } else if (kind === 3) p += 2;
        else throw new Error(`torchlit: unexpected import kind ${kind} in the kernel module`);
      }
    }
    at = body + size;
  }
  throw new Error('torchlit: the kernel module imports no memory');
}

/** Whether this runtime can run the kernels: WebAssembly SIMD. */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && (relaxedSimd() || WebAssembly.validate(kernelFile('plain')));
}
