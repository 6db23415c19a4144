import { referenceBackend } from '../reference/index.js';
import type {
  AdamHyper,
  Backend,
  BinaryOp,
  Conv2dGeometry,
  FloatArray,
  NumArray,
  SgdHyper,
  UnaryOp,
} from '../types.js';
import { WasmKernels } from './kernels.js';
import type { Job } from './protocol.js';

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

/** Fewer input channels leave Winograd's transforms costing more than the multiplies they save. */
const WINOGRAD_MIN_CHANNELS = 4;

/** Below this many multiply-adds a hand-off to the helper thread costs more than it saves. */
const MIN_SPLIT_MACS = 200_000;

/**
 * WebAssembly SIMD kernels for float32. Matmul, convolutions and pooling run here for any
 * arrays (copied in when they live elsewhere); elementwise, softmax, loss and optimizer kernels
 * run here only on arrays already in WebAssembly memory (compiled steps, arenas), since copying
 * would cost more than they do. Everything else, and float64, uses the reference kernels.
 */
export function createWasmBackend(kernels: WasmKernels = WasmKernels.load(), threads = true): Backend {
  const wk = kernels;
  const k = wk.k;
  const helper = () => (threads ? wk.helper : null);
  const geometry = (g: Conv2dGeometry) => [g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow] as const;

  /**
   * Runs a per-sample convolution pass over all samples: the first half here and the second on
   * the helper thread when there is one and the batch is worth splitting. Each side gets its own
   * column buffer (`col` here, a fresh one there). Returns whether the work was split.
   */
  function samples(
    g: Conv2dGeometry,
    own: (s0: number, s1: number, col: number) => void,
    job: Job,
    helperArgs: (s0: number, s1: number, col: number) => number[],
    col: number,
    colFloats = g.c * g.kh * g.kw * g.oh * g.ow,
  ): boolean {
    const macs = g.n * g.oc * g.oh * g.ow * g.c * g.kh * g.kw;
    if (!helper() || g.n < 2 || macs < MIN_SPLIT_MACS) {
      own(0, g.n, col);
      return false;
    }
    const mid = Math.ceil(g.n / 2);
    const helperCol = colFloats > 0 ? wk.alloc(colFloats) : 0;
    helper()!.run(job, helperArgs(mid, g.n, helperCol), () => own(0, mid, col));
    return true;
  }

  function matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    n: number,
    kk: number,
    ta: boolean,
    tb: boolean,
    acc: boolean,
  ): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
      referenceBackend.matmul(a, b, out, m, n, kk, ta, tb, acc);
      return;
    }
    const mark = wk.mark();
    const ap = wk.input(a.subarray(0, m * kk));
    const bp = wk.input(b.subarray(0, kk * n));
    const c = wk.output(out.subarray(0, m * n), acc);
    if (tb && !ta) {
      k.gemmNT(ap, bp, c.ptr, m, n, kk, +acc);
    } else if (tb) {
      const pa = wk.alloc(k.packedASize(m, kk));
      const pb = wk.alloc(k.packedBSize(kk, n));
      k.packA(ap, m, kk, 1, pa);
      k.packB(bp, kk, n, 1, pb);
      k.gemm(pa, pb, kk * 32, 32, c.ptr, m, n, kk, n, +acc);
    } else {
      const pa = wk.alloc(k.packedASize(m, kk));
      k.packA(ap, m, kk, +ta, pa);
      k.gemm(pa, bp, 32, n * 4, c.ptr, m, n, kk, n, +acc);
    }
    c.done();
    wk.release(mark);
  }

  function conv2dForward(
    x: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    out: FloatArray,
    g: Conv2dGeometry,
  ): void {
    if (!(x instanceof Float32Array && weight instanceof Float32Array && out instanceof Float32Array)) {
      return referenceBackend.conv2dForward(x, weight, bias, out, g);
    }
    if (winogradFits(g)) {
      convWinograd(x, weight, bias, out, g);
      return;
    }
    if (g.sh === 1 && g.sw === 1) {
      convDirect(x, weight, bias, out, g);
      return;
    }
    const ckk = g.c * g.kh * g.kw;
    const l = g.oh * g.ow;
    const mark = wk.mark();
    const xp = wk.input(x);
    const wp = wk.input(weight);
    const pa = wk.alloc(k.packedASize(g.oc, ckk));
    const col = wk.alloc(ckk * l);
    const o = wk.output(out);
    if (bias) {
      const view = wk.f32(o.ptr, g.n * g.oc * l);
      for (let s = 0; s < g.n; s++)
        for (let c = 0; c < g.oc; c++) view.fill(bias[c], (s * g.oc + c) * l, (s * g.oc + c + 1) * l);
    }
    k.packA(wp, g.oc, ckk, 0, pa);
    const geo = [...geometry(g), g.oc, +(bias !== null)] as const;
    samples(
      g,
      (s0, s1, c) => k.convForwardRange(xp, pa, o.ptr, c, s0, s1, ...geo),
      'convForwardRange',
      (s0, s1, c) => [xp, pa, o.ptr, c, s0, s1, ...geo],
      col,
    );
    o.done();
    wk.release(mark);
  }

  /**
   * Stride-1 convolution without a column matrix, 4 channels x 8 pixels a tile: each thread pads
   * its samples one at a time into a buffer of its own, where the kernel finds them in cache.
   */
  function convDirect(
    x: Float32Array,
    weight: Float32Array,
    bias: FloatArray | null,
    out: Float32Array,
    g: Conv2dGeometry,
  ): void {
    const mark = wk.mark();
    const xin = wk.input(x);
    const scratchFloats = k.directScratchSize(g.c, g.h + 2 * g.ph, g.w + 2 * g.pw);
    const scratch = wk.alloc(scratchFloats);
    const packed = wk.alloc(Math.ceil(g.oc / 4) * 4 * g.c * g.kh * g.kw);
    k.packDirectWeights(wk.input(weight), g.oc, g.c, g.kh, g.kw, packed);
    const bp = bias ? wk.input(bias as Float32Array) : 0;
    const o = wk.output(out);
    const args = (s0: number, s1: number, buf: number) => [
      xin,
      buf,
      packed,
      bp,
      o.ptr,
      s0,
      s1,
      g.c,
      g.h,
      g.w,
      g.ph,
      g.pw,
      g.kh,
      g.kw,
      g.oc,
      g.oh,
      g.ow,
    ];
    samples(
      g,
      (s0, s1, buf) => k.convDirectRange(...(args(s0, s1, buf) as Parameters<typeof k.convDirectRange>)),
      'convDirectRange',
      args,
      scratch,
      scratchFloats,
    );
    o.done();
    wk.release(mark);
  }

  /**
   * 3x3 'same' convolutions of even-sized images with a few channels or more: Winograd F(2x2, 3x3),
   * 16 multiplies per 2x2 outputs instead of 36 (TinyVGG's convolutions and their input gradients).
   */
  function winogradFits(g: Conv2dGeometry): boolean {
    return (
      g.kh === 3 &&
      g.kw === 3 &&
      g.sh === 1 &&
      g.sw === 1 &&
      g.ph === 1 &&
      g.pw === 1 &&
      g.h % 2 === 0 &&
      g.w % 2 === 0 &&
      g.c >= WINOGRAD_MIN_CHANNELS
    );
  }

  function convWinograd(
    x: Float32Array,
    weight: Float32Array,
    bias: FloatArray | null,
    out: Float32Array,
    g: Conv2dGeometry,
  ): void {
    const mark = wk.mark();
    const xin = wk.input(x);
    const scratchFloats = k.winogradScratchSize(g.c, g.h, g.w, g.oc);
    const scratch = wk.alloc(scratchFloats);
    const u = wk.alloc(16 * Math.ceil(g.oc / 4) * 4 * g.c);
    k.packWinogradWeights(wk.input(weight), g.oc, g.c, u);
    const bp = bias ? wk.input(bias as Float32Array) : 0;
    const o = wk.output(out);
    const args = (s0: number, s1: number, buf: number) => [xin, buf, u, bp, o.ptr, s0, s1, g.c, g.h, g.w, g.oc];
    samples(
      g,
      (s0, s1, buf) => k.convWinogradRange(...(args(s0, s1, buf) as Parameters<typeof k.convWinogradRange>)),
      'convWinogradRange',
      args,
      scratch,
      scratchFloats,
    );
    o.done();
    wk.release(mark);
  }

  /**
   * For stride 1 and at least half-kernel padding ('same'), the input gradient is a forward
   * convolution of dy with the kernels flipped and their channel axes swapped, padded by
   * k - 1 - p. Otherwise that padding would multiply mostly zeros, so columns are scattered
   * back instead (col2im).
   */
  function conv2dBackwardInput(dy: FloatArray, weight: FloatArray, dx: FloatArray, g: Conv2dGeometry): void {
    if (!(dy instanceof Float32Array)) return referenceBackend.conv2dBackwardInput(dy, weight, dx, g);
    if (g.sh === 1 && g.sw === 1 && 2 * g.ph >= g.kh - 1 && 2 * g.pw >= g.kw - 1 && g.ph < g.kh && g.pw < g.kw) {
      const flipped = new Float32Array(weight.length);
      const kk = g.kh * g.kw;
      for (let o = 0; o < g.oc; o++) {
        for (let c = 0; c < g.c; c++) {
          const src = (o * g.c + c) * kk;
          const dst = (c * g.oc + o) * kk;
          for (let t = 0; t < kk; t++) flipped[dst + kk - 1 - t] = weight[src + t];
        }
      }
      const t: Conv2dGeometry = {
        ...g,
        c: g.oc,
        oc: g.c,
        h: g.oh,
        w: g.ow,
        oh: g.h,
        ow: g.w,
        ph: g.kh - 1 - g.ph,
        pw: g.kw - 1 - g.pw,
      };
      conv2dForward(dy, flipped, null, dx, t);
      return;
    }
    const ckk = g.c * g.kh * g.kw;
    const l = g.oh * g.ow;
    const chw = g.c * g.h * g.w;
    const mark = wk.mark();
    const dyp = wk.input(dy);
    const wp = wk.input(weight as Float32Array);
    const pa = wk.alloc(k.packedASize(ckk, g.oc));
    const d = wk.output(dx as Float32Array);
    wk.f32(d.ptr, g.n * chw).fill(0);
    if (g.sh === 1 && g.sw === 1 && g.ph === 0 && g.pw === 0 && g.ow % 8 === 0) {
      // Valid convolutions with 8-wide output rows add each tile of W^T dy straight into dx.
      const permuted = wk.alloc(weight.length);
      k.permuteTaps(wp, g.oc, g.c, g.kh, g.kw, permuted);
      k.packA(permuted, ckk, g.oc, 1, pa);
      const args = (s0: number, s1: number, offsets: number) => [
        dyp,
        pa,
        d.ptr,
        offsets,
        s0,
        s1,
        g.c,
        g.h,
        g.w,
        g.kh,
        g.kw,
        g.oh,
        g.ow,
        g.oc,
      ];
      samples(
        g,
        (s0, s1, o) =>
          k.convBackwardInputDirectRange(...(args(s0, s1, o) as Parameters<typeof k.convBackwardInputDirectRange>)),
        'convBackwardInputDirectRange',
        args,
        wk.alloc(ckk),
        ckk,
      );
    } else {
      k.packA(wp, ckk, g.oc, 1, pa);
      const geo = [...geometry(g), g.oc] as const;
      samples(
        g,
        (s0, s1, c) => k.convBackwardInputRange(dyp, pa, d.ptr, c, s0, s1, ...geo),
        'convBackwardInputRange',
        (s0, s1, c) => [dyp, pa, d.ptr, c, s0, s1, ...geo],
        wk.alloc(ckk * l),
      );
    }
    d.done();
    wk.release(mark);
  }

  function conv2dBackwardWeight(
    x: FloatArray,
    dy: FloatArray,
    dw: FloatArray,
    db: FloatArray | null,
    g: Conv2dGeometry,
  ): void {
    if (!(x instanceof Float32Array && dy instanceof Float32Array && dw instanceof Float32Array)) {
      return referenceBackend.conv2dBackwardWeight(x, dy, dw, db, g);
    }
    const ckk = g.c * g.kh * g.kw;
    const mark = wk.mark();
    const xp = wk.input(x);
    const dyp = wk.input(dy);
    if (winogradFits(g)) {
      winogradWeightGradient(xp, dyp, dw, g);
      if (db) channelSums(dyp, db, g);
      wk.release(mark);
      return;
    }
    const w = wk.output(dw);
    wk.f32(w.ptr, g.oc * ckk).fill(0);
    // The helper sums its samples into a block of its own, added last: a fixed order.
    const part = helper() ? wk.alloc(g.oc * ckk) : 0;
    if (part) wk.f32(part, g.oc * ckk).fill(0);
    let split: boolean;
    if (g.sh === 1 && g.sw === 1 && g.ow % 4 === 0) {
      const scratchFloats = k.weightDirectScratchFloats(g.oc, g.c, g.h, g.w, g.kh, g.kw, g.ph, g.pw, g.oh, g.ow);
      const args = (s0: number, s1: number, out: number, scratch: number) => [
        xp,
        dyp,
        out,
        scratch,
        s0,
        s1,
        g.c,
        g.h,
        g.w,
        g.kh,
        g.kw,
        g.ph,
        g.pw,
        g.oh,
        g.ow,
        g.oc,
      ];
      const own = (s0: number, s1: number, scratch: number) =>
        k.convWeightDirectRange(...(args(s0, s1, w.ptr, scratch) as Parameters<typeof k.convWeightDirectRange>));
      split = samples(
        g,
        own,
        'convWeightDirectRange',
        (s0, s1, scratch) => args(s0, s1, part, scratch),
        wk.alloc(scratchFloats),
        scratchFloats,
      );
    } else {
      split = weightGradientColumns(xp, dyp, w.ptr, part, g);
    }
    if (split) k.binary(0, w.ptr, part, 1, w.ptr, g.oc * ckk);
    w.done();
    if (db) channelSums(dyp, db, g);
    wk.release(mark);
  }

  /** dw (and the helper's part) from column matrices: im2col, then dot products over pixels. */
  function weightGradientColumns(xp: number, dyp: number, dw: number, part: number, g: Conv2dGeometry): boolean {
    const ckk = g.c * g.kh * g.kw;
    const l = g.oh * g.ow;
    // Samples summed per pass: several for small images (short products), one or two for large.
    const block = Math.max(1, Math.min(8, Math.floor(2048 / l)));
    // Room after the columns where padded stride-1 passes pad each sample first.
    const padFirst = g.sh === 1 && g.sw === 1 && (g.ph > 0 || g.pw > 0);
    const colFloats = block * ckk * l + (padFirst ? g.c * (g.h + 2 * g.ph) * (g.w + 2 * g.pw) : 0);
    const col = wk.alloc(colFloats);
    const geo = [...geometry(g), g.oc, block] as const;
    return samples(
      g,
      (s0, s1, c) => k.convBackwardWeightRange(xp, dyp, dw, c, s0, s1, ...geo),
      'convBackwardWeightRange',
      (s0, s1, c) => [xp, dyp, part, c, s0, s1, ...geo],
      col,
      colFloats,
    );
  }

  function channelSums(dyp: number, db: FloatArray, g: Conv2dGeometry): void {
    const b = wk.output(db as Float32Array);
    k.channelSums(dyp, g.n, g.oc, g.oh * g.ow, b.ptr);
    b.done();
  }

  /** Winograd's weight gradient (see winogradFits); the helper sums its samples into a block of its own, added last. */
  function winogradWeightGradient(xp: number, dyp: number, dw: Float32Array, g: Conv2dGeometry): void {
    const size = g.oc * g.c * 9;
    const w = wk.output(dw);
    wk.f32(w.ptr, size).fill(0);
    const part = helper() ? wk.alloc(size) : 0;
    if (part) wk.f32(part, size).fill(0);
    const scratchFloats = k.winogradWeightScratchSize(g.c, g.h, g.w, g.oc);
    const args = (s0: number, s1: number, buf: number, out: number) => [xp, dyp, out, buf, s0, s1, g.c, g.h, g.w, g.oc];
    const split = samples(
      g,
      (s0, s1, buf) =>
        k.convWinogradWeightRange(...(args(s0, s1, buf, w.ptr) as Parameters<typeof k.convWinogradWeightRange>)),
      'convWinogradWeightRange',
      (s0, s1, buf) => args(s0, s1, buf, part),
      wk.alloc(scratchFloats),
      scratchFloats,
    );
    if (split) k.binary(0, w.ptr, part, 1, w.ptr, size);
    w.done();
  }

  function maxPool2dForward(x: FloatArray, out: FloatArray, argmax: Int32Array, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array && out instanceof Float32Array))
      return referenceBackend.maxPool2dForward(x, out, argmax, g);
    const mark = wk.mark();
    const xp = wk.input(x);
    const o = wk.output(out);
    const resident = wk.owns(argmax);
    const ap = resident ? argmax.byteOffset : wk.alloc(argmax.length);
    k.maxPoolForward(xp, o.ptr, ap, g.n * g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow);
    if (!resident) argmax.set(wk.int32(ap, argmax.length));
    o.done();
    wk.release(mark);
  }

  function maxPool2dBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, g: Conv2dGeometry): void {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array))
      return referenceBackend.maxPool2dBackward(dy, argmax, dx, g);
    const mark = wk.mark();
    const dyp = wk.input(dy);
    const ap = wk.owns(argmax) ? argmax.byteOffset : wk.putInt32(argmax);
    const d = wk.output(dx);
    k.maxPoolBackward(dyp, ap, d.ptr, g.n * g.c, g.h * g.w, g.oh * g.ow);
    d.done();
    wk.release(mark);
  }

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
    if (code === undefined || a.length !== n || !(b instanceof Float32Array) || !resident(a, out)) {
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
    else k.binary(code, a.byteOffset, wk.input(b), b.length === n ? 1 : 0, out.byteOffset, n);
    wk.release(mark);
  }

  function unary(op: UnaryOp, a: NumArray, out: NumArray, p?: number, q?: number): void {
    if (op === 'relu' && resident(a, out)) {
      k.relu(a.byteOffset, out.byteOffset, out.length);
      return;
    }
    referenceBackend.unary(op, a, out, p, q);
  }

  /** Whether every array is float32 and already in WebAssembly memory (a compiled step's tensors). */
  function resident(...arrays: (NumArray | null)[]): boolean {
    return arrays.every((a) => a === null || (a instanceof Float32Array && wk.owns(a)));
  }

  function softmax(x: FloatArray, out: FloatArray, outer: number, size: number, inner: number, log: boolean): void {
    if (inner !== 1 || !resident(x, out)) return referenceBackend.softmax(x, out, outer, size, inner, log);
    k.softmaxRows(x.byteOffset, out.byteOffset, outer, size, +log);
  }

  function softmaxBackward(
    dy: FloatArray,
    y: FloatArray,
    dx: FloatArray,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): void {
    if (inner !== 1 || !resident(dy, y, dx))
      return referenceBackend.softmaxBackward(dy, y, dx, outer, size, inner, log);
    k.softmaxRowsBackward(dy.byteOffset, y.byteOffset, dx.byteOffset, outer, size, +log);
  }

  function nllLoss(logp: FloatArray, target: NumArray, loss: FloatArray, n: number, c: number): void {
    if (!resident(logp, loss)) return referenceBackend.nllLoss(logp, target, loss, n, c);
    const mark = wk.mark();
    const bad = k.nllRows(logp.byteOffset, wk.input(Float32Array.from(target)), loss.byteOffset, n, c);
    wk.release(mark);
    if (bad >= 0) referenceBackend.nllLoss(logp, target, loss, n, c);
  }

  function nllLossBackward(dloss: FloatArray, target: NumArray, dlogp: FloatArray, n: number, c: number): void {
    if (!resident(dlogp)) return referenceBackend.nllLossBackward(dloss, target, dlogp, n, c);
    const mark = wk.mark();
    k.nllRowsBackward(wk.input(dloss as Float32Array), wk.input(Float32Array.from(target)), dlogp.byteOffset, n, c);
    wk.release(mark);
  }

  function sgdStep(param: FloatArray, grad: FloatArray, buf: FloatArray | null, first: boolean, h: SgdHyper): void {
    if (!resident(param, grad, buf)) return referenceBackend.sgdStep(param, grad, buf, first, h);
    k.sgdStep(
      param.byteOffset,
      grad.byteOffset,
      buf ? buf.byteOffset : 0,
      param.length,
      +first,
      h.lr,
      h.momentum,
      h.dampening,
      +h.nesterov,
      h.weightDecay,
    );
  }

  function adamStep(
    param: FloatArray,
    grad: FloatArray,
    m: FloatArray,
    v: FloatArray,
    vmax: FloatArray | null,
    h: AdamHyper,
  ): void {
    if (!resident(param, grad, m, v, vmax)) return referenceBackend.adamStep(param, grad, m, v, vmax, h);
    k.adamStep(
      param.byteOffset,
      grad.byteOffset,
      m.byteOffset,
      v.byteOffset,
      vmax ? vmax.byteOffset : 0,
      param.length,
      h.lr,
      h.beta1,
      h.beta2,
      h.eps,
      h.weightDecay,
      +h.decoupled,
      h.step,
    );
  }

  return {
    ...referenceBackend,
    name: 'wasm',
    softmax,
    softmaxBackward,
    nllLoss,
    nllLossBackward,
    sgdStep,
    adamStep,
    binary,
    unary,
    matmul,
    conv2dForward,
    conv2dBackwardInput,
    conv2dBackwardWeight,
    maxPool2dForward,
    maxPool2dBackward,
  };
}
