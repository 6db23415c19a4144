import { referenceBackend } from '../../reference/index.js';
import type { Backend, BinaryOp, NumArray, UnaryOp } from '../../types.js';
import type { WasmContext } from './context.js';

/**
 * How many rows `bShape` spans when it equals `outShape` on leading dims and is 1 on the rest
 * (a per-channel factor such as a Dropout2d mask): b then scales whole rows. -1 otherwise.
 */
function rowBroadcast(bShape: readonly number[], outShape: readonly number[]): number {
  const lead = outShape.length - bShape.length;
  let rows = 1;
  let inRows = true;
  for (let i = 0; i < outShape.length; i++) {
    const d = i < lead ? 1 : bShape[i - lead];
    if (inRows && d === outShape[i] && i >= lead) rows *= d;
    else if (d === 1) inRows = false;
    else return -1;
  }
  return rows;
}

/** Elementwise ops, with broadcasting over rows or columns. */
export function wasmElementwise(ctx: WasmContext): Pick<Backend, 'binary' | 'unary'> {
  const { wk, k } = ctx;

  const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, reluGrad: 4 };

  /**
   * Elementwise ops run here only on float32 arrays already in WebAssembly memory (a compiled
   * step's tensors); elsewhere copying them in would cost more than the op, so they stay in JS.
   */
  function binary(
    op: BinaryOp,
    a: NumArray,
    aShape: readonly number[],
    b: NumArray,
    bShape: readonly number[],
    out: NumArray,
    outShape: readonly number[],
  ): void {
    const code = BINARY_CODES[op];
    const n = out.length;
    if (code === undefined || a.length !== n || !(b instanceof Float32Array) || !ctx.resident(a, out)) {
      referenceBackend.binary(op, a, aShape, b, bShape, out, outShape);
      return;
    }
    const cols = outShape.length > 0 ? outShape[outShape.length - 1] : 0;
    const columnWise =
      b.length === cols && b.length !== n && b.length > 1 && bShape.every((d, i) => i === bShape.length - 1 || d === 1);
    const rows = b.length === n || b.length === 1 || columnWise ? 0 : rowBroadcast(bShape, outShape);
    if (rows < 0) {
      referenceBackend.binary(op, a, aShape, b, bShape, out, outShape);
      return;
    }
    const mark = wk.mark();
    if (columnWise) k.binaryCols(code, a.byteOffset, wk.input(b), out.byteOffset, n / cols, cols);
    else if (rows > 0) k.binaryRows(code, a.byteOffset, wk.input(b), out.byteOffset, rows, n / rows);
    else {
      const [ap, bp, op_, step] = [a.byteOffset, wk.input(b), out.byteOffset, b.length === n ? 1 : 0];
      const range = (lo: number, hi: number) =>
        [code, ap + 4 * lo, bp + 4 * lo * step, step, op_ + 4 * lo, hi - lo] as const;
      ctx.halves(
        'binary',
        n,
        n,
        (lo, hi) => k.binary(...range(lo, hi)),
        (lo, hi) => [...range(lo, hi)],
      );
    }
    wk.release(mark);
  }

  function unary(op: UnaryOp, a: NumArray, out: NumArray, p?: number, q?: number): void {
    if (op === 'relu' && ctx.resident(a, out)) {
      const [ap, op_] = [a.byteOffset, out.byteOffset];
      const range = (lo: number, hi: number) => [ap + 4 * lo, op_ + 4 * lo, hi - lo] as const;
      ctx.halves(
        'relu',
        out.length,
        out.length,
        (lo, hi) => k.relu(...range(lo, hi)),
        (lo, hi) => [...range(lo, hi)],
      );
      return;
    }
    referenceBackend.unary(op, a, out, p, q);
  }

  return { binary, unary };
}
