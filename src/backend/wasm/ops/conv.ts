import { referenceBackend } from '../../reference/index.js';
import type { Backend, Conv2dGeometry, FloatArray } from '../../types.js';
import { geometryArgs, type WasmContext } from './context.js';

/** Fewer input channels leave Winograd's transforms costing more than the multiplies they save. */
const WINOGRAD_MIN_CHANNELS = 4;

/**
 * 3x3 'same' convolutions with a few channels or more: Winograd F(2x2, 3x3), 16 multiplies per
 * 2x2 outputs instead of 36 (an odd side pads to even: 7x7 costs 256 multiplies a channel pair, not 441).
 */
export function winogradFits(g: Conv2dGeometry): boolean {
  return (
    g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.ph === 1 && g.pw === 1 && g.c >= WINOGRAD_MIN_CHANNELS
  );
}

/** Winograd's forward pass; with `flip`, of the weights read as an input gradient's (see packWinogradWeights). */
export type WinogradForward = (
  x: Float32Array,
  weight: Float32Array,
  bias: FloatArray | null,
  out: Float32Array,
  g: Conv2dGeometry,
  flip?: boolean,
) => void;

/** Convolutions forward: Winograd F(2x2, 3x3), direct stride-1 tiles, or im2col + GEMM. */
export function wasmConvForward(ctx: WasmContext): Pick<Backend, 'conv2dForward'> & { convWinograd: WinogradForward } {
  const { wk, k } = ctx;

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
    const geo = [...geometryArgs(g), g.oc, +(bias !== null)] as const;
    ctx.samples(
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
    ctx.samples(
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

  const convWinograd: WinogradForward = (x, weight, bias, out, g, flip = false) => {
    const mark = wk.mark();
    const xin = wk.input(x);
    const scratchFloats = k.winogradScratchSize(g.c, g.h, g.w, g.oc);
    const scratch = wk.alloc(scratchFloats);
    const u = wk.alloc(16 * Math.ceil(g.oc / 4) * 4 * g.c);
    const wp = wk.input(weight);
    const groups = Math.ceil(g.oc / 4);
    const pack = [wp, g.oc, g.c, u] as const;
    ctx.halves(
      'packWinogradWeights',
      groups,
      weight.length,
      (g0, g1) => k.packWinogradWeights(...pack, 4 * g0, 4 * g1, flip),
      (g0, g1) => [...pack, 4 * g0, 4 * g1, flip ? 1 : 0],
    );
    const bp = bias ? wk.input(bias as Float32Array) : 0;
    const o = wk.output(out);
    const args = (s0: number, s1: number, buf: number) => [xin, buf, u, bp, o.ptr, s0, s1, g.c, g.h, g.w, g.oc];
    ctx.samples(
      g,
      (s0, s1, buf) => k.convWinogradRange(...(args(s0, s1, buf) as Parameters<typeof k.convWinogradRange>)),
      'convWinogradRange',
      args,
      scratch,
      scratchFloats,
    );
    o.done();
    wk.release(mark);
  };

  return { conv2dForward, convWinograd };
}
