import { referenceBackend } from '../reference/index.js';
import type { Backend, Conv2dGeometry, FloatArray } from '../types.js';
import { WasmKernels } from './kernels.js';

/**
 * WebAssembly SIMD kernels for the heavy float32 ops (matmul and the three convolution passes);
 * everything else, and float64, runs on the reference kernels.
 */
export function createWasmBackend(kernels: WasmKernels = WasmKernels.load()): Backend {
  const wk = kernels;
  const k = wk.k;
  const geometry = (g: Conv2dGeometry) => [g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow] as const;

  function matmul(a: FloatArray, b: FloatArray, out: FloatArray, m: number, n: number, kk: number, ta: boolean, tb: boolean, acc: boolean): void {
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

  function conv2dForward(x: FloatArray, weight: FloatArray, bias: FloatArray | null, out: FloatArray, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array && weight instanceof Float32Array && out instanceof Float32Array)) {
      return referenceBackend.conv2dForward(x, weight, bias, out, g);
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
      for (let s = 0; s < g.n; s++) for (let c = 0; c < g.oc; c++) view.fill(bias[c], (s * g.oc + c) * l, (s * g.oc + c + 1) * l);
    }
    k.packA(wp, g.oc, ckk, 0, pa);
    for (let s = 0; s < g.n; s++) {
      k.im2col(xp + s * g.c * g.h * g.w * 4, ...geometry(g), col);
      k.gemm(pa, col, 32, l * 4, o.ptr + s * g.oc * l * 4, g.oc, l, ckk, l, +(bias !== null));
    }
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
      const t: Conv2dGeometry = { ...g, c: g.oc, oc: g.c, h: g.oh, w: g.ow, oh: g.h, ow: g.w, ph: g.kh - 1 - g.ph, pw: g.kw - 1 - g.pw };
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
    const col = wk.alloc(ckk * l);
    const d = wk.output(dx as Float32Array);
    wk.f32(d.ptr, g.n * chw).fill(0);
    k.packA(wp, ckk, g.oc, 1, pa);
    for (let s = 0; s < g.n; s++) {
      k.gemm(pa, dyp + s * g.oc * l * 4, 32, l * 4, col, ckk, l, g.oc, l, 0);
      k.col2im(col, d.ptr + s * chw * 4, ...geometry(g));
    }
    d.done();
    wk.release(mark);
  }

  function conv2dBackwardWeight(x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray | null, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array && dy instanceof Float32Array && dw instanceof Float32Array)) {
      return referenceBackend.conv2dBackwardWeight(x, dy, dw, db, g);
    }
    const ckk = g.c * g.kh * g.kw;
    const l = g.oh * g.ow;
    const mark = wk.mark();
    const xp = wk.input(x);
    const dyp = wk.input(dy);
    const col = wk.alloc(ckk * l);
    const w = wk.output(dw);
    wk.f32(w.ptr, g.oc * ckk).fill(0);
    for (let s = 0; s < g.n; s++) {
      k.im2col(xp + s * g.c * g.h * g.w * 4, ...geometry(g), col);
      k.gemmNT(dyp + s * g.oc * l * 4, col, w.ptr, g.oc, ckk, l, 1);
    }
    w.done();
    wk.release(mark);
    if (db) {
      const perSample = new Float32Array(g.n * g.oc);
      referenceBackend.reduce('sum', dy, g.n * g.oc, l, 1, perSample);
      referenceBackend.reduce('sum', perSample, 1, g.n, g.oc, db);
    }
  }

  function maxPool2dForward(x: FloatArray, out: FloatArray, argmax: Int32Array, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array && out instanceof Float32Array)) return referenceBackend.maxPool2dForward(x, out, argmax, g);
    const mark = wk.mark();
    const xp = wk.input(x);
    const o = wk.output(out);
    const ap = wk.alloc(argmax.length);
    k.maxPoolForward(xp, o.ptr, ap, g.n * g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow);
    argmax.set(wk.int32(ap, argmax.length));
    o.done();
    wk.release(mark);
  }

  function maxPool2dBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, g: Conv2dGeometry): void {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array)) return referenceBackend.maxPool2dBackward(dy, argmax, dx, g);
    const mark = wk.mark();
    const dyp = wk.input(dy);
    const ap = wk.putInt32(argmax);
    const d = wk.output(dx);
    k.maxPoolBackward(dyp, ap, d.ptr, g.n * g.c, g.h * g.w, g.oh * g.ow);
    d.done();
    wk.release(mark);
  }

  return {
    ...referenceBackend,
    name: 'wasm',
    matmul,
    conv2dForward,
    conv2dBackwardInput,
    conv2dBackwardWeight,
    maxPool2dForward,
    maxPool2dBackward,
  };
}
