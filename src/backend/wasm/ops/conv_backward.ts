import { referenceBackend } from '../../reference/index.js';
import type { Backend, Conv2dGeometry, FloatArray } from '../../types.js';
import { geometryArgs, type WasmContext } from './context.js';
import { winogradFits, type WinogradForward } from './conv.js';

/** Convolutions' input and weight gradients. */
export function wasmConvBackward(
  ctx: WasmContext,
  forward: Pick<Backend, 'conv2dForward'> & { convWinograd: WinogradForward },
): Pick<Backend, 'conv2dBackwardInput' | 'conv2dBackwardWeight'> {
  const { wk, k } = ctx;

  /**
   * For stride 1 and at least half-kernel padding ('same'), the input gradient is a forward
   * convolution of dy with the kernels flipped and their channel axes swapped, padded by
   * k - 1 - p. Otherwise that padding would multiply mostly zeros, so columns are scattered
   * back instead (col2im).
   */
  function conv2dBackwardInput(dy: FloatArray, weight: FloatArray, dx: FloatArray, g: Conv2dGeometry): void {
    if (!(dy instanceof Float32Array)) return referenceBackend.conv2dBackwardInput(dy, weight, dx, g);
    if (g.sh === 1 && g.sw === 1 && 2 * g.ph >= g.kh - 1 && 2 * g.pw >= g.kw - 1 && g.ph < g.kh && g.pw < g.kw) {
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
      if (winogradFits(t) && weight instanceof Float32Array && dx instanceof Float32Array) {
        forward.convWinograd(dy, weight, null, dx, t, true);
        return;
      }
      const flipped = new Float32Array(weight.length);
      const kk = g.kh * g.kw;
      for (let o = 0; o < g.oc; o++) {
        for (let c = 0; c < g.c; c++) {
          const src = (o * g.c + c) * kk;
          const dst = (c * g.oc + o) * kk;
          for (let t = 0; t < kk; t++) flipped[dst + kk - 1 - t] = weight[src + t];
        }
      }
      forward.conv2dForward(dy, flipped, null, dx, t);
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
      ctx.samples(
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
      const geo = [...geometryArgs(g), g.oc] as const;
      ctx.samples(
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
    const part = ctx.helper() ? wk.alloc(g.oc * ckk) : 0;
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
      split = ctx.samples(
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
    const geo = [...geometryArgs(g), g.oc, block] as const;
    return ctx.samples(
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
    const part = ctx.helper() ? wk.alloc(size) : 0;
    if (part) wk.f32(part, size).fill(0);
    const scratchFloats = k.winogradWeightScratchSize(g.c, g.h, g.w, g.oc);
    const args = (s0: number, s1: number, buf: number, out: number) => [xp, dyp, out, buf, s0, s1, g.c, g.h, g.w, g.oc];
    const split = ctx.samples(
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

  return { conv2dBackwardInput, conv2dBackwardWeight };
}
