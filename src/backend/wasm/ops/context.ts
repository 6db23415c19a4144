import type { Conv2dGeometry, NumArray } from '../../types.js';
import type { WasmKernels } from '../kernels.js';
import type { Job } from '../protocol.js';

/** Below this many multiply-adds a hand-off to the helper thread costs more than it saves. */
const MIN_SPLIT_MACS = 200_000;
/** Below this many elements a pass over memory (batch norm, ReLU, pooling) stays on one thread. */
const MIN_SPLIT_ELEMENTS = 32_768;

/** What every family of WebAssembly ops shares: the kernels, their memory and the helper thread. */
export class WasmContext {
  readonly k: WasmKernels['k'];

  constructor(
    readonly wk: WasmKernels,
    private readonly threads: boolean,
  ) {
    this.k = wk.k;
  }

  helper(): WasmKernels['helper'] {
    return this.threads ? this.wk.helper : null;
  }

  /** Whether every array is float32 and already in WebAssembly memory (a compiled step's tensors). */
  resident(...arrays: (NumArray | null)[]): boolean {
    return arrays.every((a) => a === null || (a instanceof Float32Array && this.wk.owns(a)));
  }

  /**
   * Runs `own(lo, hi)` over [0, count): the first half here and the second on the helper thread
   * (`job` with `helperArgs(mid, count)`) when there is one and its `elements` are worth it.
   * Every element's result is the same either way.
   */
  halves(
    job: Job,
    count: number,
    elements: number,
    own: (lo: number, hi: number) => void,
    helperArgs: (lo: number, hi: number) => number[],
  ): void {
    const helper = this.helper();
    if (!helper || count < 2 || elements < MIN_SPLIT_ELEMENTS) return own(0, count);
    const mid = count >> 1;
    helper.run(job, helperArgs(mid, count), () => own(0, mid));
  }

  /**
   * Runs a per-sample convolution pass over all samples: the first half here and the second on
   * the helper thread when there is one and the batch is worth splitting. Each side gets its own
   * column buffer (`col` here, a fresh one there). Returns whether the work was split.
   */
  samples(
    g: Conv2dGeometry,
    own: (s0: number, s1: number, col: number) => void,
    job: Job,
    helperArgs: (s0: number, s1: number, col: number) => number[],
    col: number,
    colFloats = g.c * g.kh * g.kw * g.oh * g.ow,
  ): boolean {
    const helper = this.helper();
    const macs = g.n * g.oc * g.oh * g.ow * g.c * g.kh * g.kw;
    if (!helper || g.n < 2 || macs < MIN_SPLIT_MACS) {
      own(0, g.n, col);
      return false;
    }
    const mid = Math.ceil(g.n / 2);
    const helperCol = colFloats > 0 ? this.wk.alloc(colFloats) : 0;
    helper.run(job, helperArgs(mid, g.n, helperCol), () => own(0, mid, col));
    return true;
  }
}

/** The geometry as the kernels take it, in their argument order. */
export function geometryArgs(g: Conv2dGeometry) {
  return [g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow] as const;
}
