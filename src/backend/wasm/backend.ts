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
    wk.reset();
    const pa = wk.alloc(k.packedASize(m, kk));
    const pb = tb ? wk.alloc(k.packedBSize(kk, n)) : 0;
    const ap = wk.put(a.subarray(0, m * kk));
    const bp = wk.put(b.subarray(0, kk * n));
    const cp = acc ? wk.put(out.subarray(0, m * n)) : wk.alloc(m * n);
    if (tb && !ta) {
      k.gemmNT(ap, bp, cp, m, n, kk, +acc);
    } else if (tb) {
      k.packA(ap, m, kk, 1, pa);
      k.packB(bp, kk, n, 1, pb);
      k.gemm(pa, pb, kk * 32, 32, cp, m, n, kk, n, +acc);
    } else {
      k.packA(ap, m, kk, +ta, pa);
      k.gemm(pa, bp, 32, n * 4, cp, m, n, kk, n, +acc);
    }
    out.set(wk.f32(cp, m * n));
  }

  function conv2dForward(x: FloatArray, weight: FloatArray, bias: FloatArray | null, out: FloatArray, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array)) return referenceBackend.conv2dForward(x, weight, bias, out, g);
    const ckk = g.c * g.kh * g.kw;
    const l = g.oh * g.ow;
    wk.reset();
    const xp = wk.put(x);
    const wp = wk.put(weight);
    const pa = wk.alloc(k.packedASize(g.oc, ckk));
    const col = wk.alloc(ckk * l);
    const op = wk.alloc(g.n * g.oc * l);
    const o = wk.f32(op, g.n * g.oc * l);
    if (bias) for (let s = 0; s < g.n; s++) for (let c = 0; c < g.oc; c++) o.fill(bias[c], (s * g.oc + c) * l, (s * g.oc + c + 1) * l);
    k.packA(wp, g.oc, ckk, 0, pa);
    for (let s = 0; s < g.n; s++) {
      k.im2col(xp + s * g.c * g.h * g.w * 4, ...geometry(g), col);
      k.gemm(pa, col, 32, l * 4, op + s * g.oc * l * 4, g.oc, l, ckk, l, +(bias !== null));
    }
    out.set(wk.f32(op, g.n * g.oc * l));
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
    wk.reset();
    const dyp = wk.put(dy);
    const wp = wk.put(weight);
    const pa = wk.alloc(k.packedASize(ckk, g.oc));
    const col = wk.alloc(ckk * l);
    const dxp = wk.alloc(g.n * chw);
    wk.f32(dxp, g.n * chw).fill(0);
    k.packA(wp, ckk, g.oc, 1, pa);
    for (let s = 0; s < g.n; s++) {
      k.gemm(pa, dyp + s * g.oc * l * 4, 32, l * 4, col, ckk, l, g.oc, l, 0);
      k.col2im(col, dxp + s * chw * 4, ...geometry(g));
    }
    dx.set(wk.f32(dxp, g.n * chw));
  }

  function conv2dBackwardWeight(x: FloatArray, dy: FloatArray, dw: FloatArray, db: FloatArray | null, g: Conv2dGeometry): void {
    if (!(x instanceof Float32Array)) return referenceBackend.conv2dBackwardWeight(x, dy, dw, db, g);
    const ckk = g.c * g.kh * g.kw;
    const l = g.oh * g.ow;
    wk.reset();
    const xp = wk.put(x);
    const dyp = wk.put(dy);
    const col = wk.alloc(ckk * l);
    const dwp = wk.alloc(g.oc * ckk);
    wk.f32(dwp, g.oc * ckk).fill(0);
    for (let s = 0; s < g.n; s++) {
      k.im2col(xp + s * g.c * g.h * g.w * 4, ...geometry(g), col);
      k.gemmNT(dyp + s * g.oc * l * 4, col, dwp, g.oc, ckk, l, 1);
    }
    dw.set(wk.f32(dwp, g.oc * ckk));
    if (db) {
      const perSample = new Float32Array(g.n * g.oc);
      referenceBackend.reduce('sum', dy, g.n * g.oc, l, 1, perSample);
      referenceBackend.reduce('sum', perSample, 1, g.n, g.oc, db);
    }
  }

  return { ...referenceBackend, name: 'wasm', matmul, conv2dForward, conv2dBackwardInput, conv2dBackwardWeight };
}
