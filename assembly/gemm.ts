// Single-precision matrix multiply with WebAssembly SIMD: C[m,n] (+)= A[m,k] B[k,n].
// A is packed into panels of 4 rows ([k][4]) and B into strips of 8 columns ([k][8]), zero
// padded, so the 4x8 micro-kernel keeps its 8 accumulators in registers and reads memory in order.
// Packing routines read A and B in any layout, including straight out of an image (implicit im2col).

import { madd } from './madd';
import { storePartial } from './tile';

// @ts-ignore: decorator
@inline const MR = 4;
// @ts-ignore: decorator
@inline const NR = 8;

/** Packs B[k, n] (row-major, or [n, k] when transB) into 8-column strips at `dst`. */
export function packB(b: usize, k: i32, n: i32, transB: bool, dst: usize): void {
  const strips = (n + NR - 1) / NR;
  for (let s = 0; s < strips; s++) {
    const j0 = s * NR;
    const cols = min(NR, n - j0);
    let out = dst + <usize>(s * k * NR) * 4;
    for (let p = 0; p < k; p++) {
      for (let jj = 0; jj < NR; jj++) {
        let v: f32 = 0;
        if (jj < cols) {
          const j = j0 + jj;
          v = transB ? load<f32>(b + ((<usize>(j * k + p)) << 2)) : load<f32>(b + ((<usize>(p * n + j)) << 2));
        }
        store<f32>(out, v);
        out += 4;
      }
    }
  }
}

/** Packs A[m, k] (row-major, or [k, m] when transA) into 4-row panels at `dst`. */
export function packA(a: usize, m: i32, k: i32, transA: bool, dst: usize): void {
  const panels = (m + MR - 1) / MR;
  for (let q = 0; q < panels; q++) {
    const i0 = q * MR;
    const rows = min(MR, m - i0);
    let out = dst + <usize>(q * k * MR) * 4;
    for (let p = 0; p < k; p++) {
      for (let r = 0; r < MR; r++) {
        let v: f32 = 0;
        if (r < rows) {
          const i = i0 + r;
          v = transA ? load<f32>(a + ((<usize>(p * m + i)) << 2)) : load<f32>(a + ((<usize>(i * k + p)) << 2));
        }
        store<f32>(out, v);
        out += 4;
      }
    }
  }
}

/**
 * C (+)= packedA @ B for an m x n output with row stride ldc. B is read in strips of 8 columns:
 * strip s starts at b + s * stripBytes and advances rowBytes per k. For packed B that is
 * (k * 32, 32); for a row-major B with leading dimension ldb it is (32, ldb * 4), which may read
 * up to 7 floats past the last row's end (the caller leaves that slack).
 */
export function gemm(
  pa: usize,
  b: usize,
  stripBytes: i32,
  rowBytes: i32,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  ldc: i32,
  accumulate: bool,
): void {
  const panels = (m + MR - 1) / MR;
  const strips = (n + NR - 1) / NR;
  for (let s = 0; s < strips; s++) {
    const j0 = s * NR;
    const cols = min(NR, n - j0);
    const bStrip = b + <usize>s * <usize>stripBytes;
    for (let q = 0; q < panels; q++) {
      const i0 = q * MR;
      const rows = min(MR, m - i0);
      let ap = pa + <usize>(q * k * MR) * 4;
      let bp = bStrip;
      let c00 = f32x4.splat(0),
        c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0),
        c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0),
        c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0),
        c31 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const a0 = v128.load32_splat(ap);
        const a1 = v128.load32_splat(ap, 4);
        const a2 = v128.load32_splat(ap, 8);
        const a3 = v128.load32_splat(ap, 12);
        c00 = madd(a0, b0, c00);
        c01 = madd(a0, b1, c01);
        c10 = madd(a1, b0, c10);
        c11 = madd(a1, b1, c11);
        c20 = madd(a2, b0, c20);
        c21 = madd(a2, b1, c21);
        c30 = madd(a3, b0, c30);
        c31 = madd(a3, b1, c31);
        ap += 16;
        bp += rowBytes;
      }
      const row0 = c + ((<usize>(i0 * ldc + j0)) << 2);
      const stride = (<usize>ldc) << 2;
      if (rows == MR && cols == NR) {
        storeRow(row0, c00, c01, accumulate);
        storeRow(row0 + stride, c10, c11, accumulate);
        storeRow(row0 + 2 * stride, c20, c21, accumulate);
        storeRow(row0 + 3 * stride, c30, c31, accumulate);
      } else {
        storePartial(row0, c00, c01, cols, accumulate);
        if (rows > 1) storePartial(row0 + stride, c10, c11, cols, accumulate);
        if (rows > 2) storePartial(row0 + 2 * stride, c20, c21, cols, accumulate);
        if (rows > 3) storePartial(row0 + 3 * stride, c30, c31, cols, accumulate);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(p: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    v128.store(p, f32x4.add(v128.load(p), lo));
    v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
  } else {
    v128.store(p, lo);
    v128.store(p, hi, 16);
  }
}

export function packedASize(m: i32, k: i32): i32 {
  return ((m + MR - 1) / MR) * MR * k;
}

export function packedBSize(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * NR * k;
}

/**
 * C[m, n] (+)= A[m, k] B[n, k]^T with both operands row-major, as dot products over k: a 4 x 2
 * tile of C keeps 8 vector accumulators, reading A and B rows in order. No packing is needed,
 * which suits long k (weight gradients, where k is every output pixel).
 */
export function gemmNT(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, accumulate: bool): void {
  gemmNTSegments(a, 0, b, 0, 1, c, m, n, k, accumulate);
}

/**
 * C[m, n] (+)= sum over segments s of A_s[m, k] B_s[n, k]^T, where A_s starts aStride floats after
 * A_(s-1) and likewise B_s: a sum of products (a batch's weight gradients) with each tile of C
 * held in registers across all segments and written once.
 */
export function gemmNTSegments(
  a: usize,
  aStride: i32,
  b: usize,
  bStride: i32,
  segs: i32,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  accumulate: bool,
): void {
  const k4 = k & ~3;
  const rowA = (<usize>k) << 2;
  const segA = (<usize>aStride) << 2;
  const segB = (<usize>bStride) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0),
        s10 = f32x4.splat(0),
        s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0),
        s21 = f32x4.splat(0),
        s30 = f32x4.splat(0),
        s31 = f32x4.splat(0);
      let t00: f32 = 0,
        t01: f32 = 0,
        t10: f32 = 0,
        t11: f32 = 0,
        t20: f32 = 0,
        t21: f32 = 0,
        t30: f32 = 0,
        t31: f32 = 0;
      for (let seg = 0; seg < segs; seg++) {
        const a0 = a + <usize>seg * segA + <usize>i * rowA;
        const b0 = b + <usize>seg * segB + <usize>j * rowA;
        for (let p = 0; p < k4; p += 4) {
          const off = (<usize>p) << 2;
          const x0 = v128.load(a0 + off),
            x1 = v128.load(a0 + rowA + off);
          const x2 = v128.load(a0 + 2 * rowA + off),
            x3 = v128.load(a0 + 3 * rowA + off);
          const y0 = v128.load(b0 + off),
            y1 = v128.load(b0 + rowA + off);
          s00 = madd(x0, y0, s00);
          s01 = madd(x0, y1, s01);
          s10 = madd(x1, y0, s10);
          s11 = madd(x1, y1, s11);
          s20 = madd(x2, y0, s20);
          s21 = madd(x2, y1, s21);
          s30 = madd(x3, y0, s30);
          s31 = madd(x3, y1, s31);
        }
        if (k4 < k) {
          t00 += tail(a0, b0, k4, k);
          t01 += tail(a0, b0 + rowA, k4, k);
          t10 += tail(a0 + rowA, b0, k4, k);
          t11 += tail(a0 + rowA, b0 + rowA, k4, k);
          t20 += tail(a0 + 2 * rowA, b0, k4, k);
          t21 += tail(a0 + 2 * rowA, b0 + rowA, k4, k);
          t30 += tail(a0 + 3 * rowA, b0, k4, k);
          t31 += tail(a0 + 3 * rowA, b0 + rowA, k4, k);
        }
      }
      emit(c, i, j, n, hsum(s00) + t00, accumulate);
      emit(c, i, j + 1, n, hsum(s01) + t01, accumulate);
      emit(c, i + 1, j, n, hsum(s10) + t10, accumulate);
      emit(c, i + 1, j + 1, n, hsum(s11) + t11, accumulate);
      emit(c, i + 2, j, n, hsum(s20) + t20, accumulate);
      emit(c, i + 2, j + 1, n, hsum(s21) + t21, accumulate);
      emit(c, i + 3, j, n, hsum(s30) + t30, accumulate);
      emit(c, i + 3, j + 1, n, hsum(s31) + t31, accumulate);
    }
    for (; j < n; j++)
      for (let r = 0; r < 4; r++)
        emit(c, i + r, j, n, dots(a + <usize>(i + r) * rowA, segA, b + <usize>j * rowA, segB, segs, k), accumulate);
  }
  // Two rows left (10 or 6 output channels): 2 x 4 tiles keep 8 accumulators, as the 4 x 2 tiles do.
  if (i + 2 <= m) {
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0),
        s02 = f32x4.splat(0),
        s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0),
        s11 = f32x4.splat(0),
        s12 = f32x4.splat(0),
        s13 = f32x4.splat(0);
      let t00: f32 = 0,
        t01: f32 = 0,
        t02: f32 = 0,
        t03: f32 = 0,
        t10: f32 = 0,
        t11: f32 = 0,
        t12: f32 = 0,
        t13: f32 = 0;
      for (let seg = 0; seg < segs; seg++) {
        const a0 = a + <usize>seg * segA + <usize>i * rowA;
        const b0 = b + <usize>seg * segB + <usize>j * rowA;
        for (let p = 0; p < k4; p += 4) {
          const off = (<usize>p) << 2;
          const x0 = v128.load(a0 + off),
            x1 = v128.load(a0 + rowA + off);
          let y = v128.load(b0 + off);
          s00 = madd(x0, y, s00);
          s10 = madd(x1, y, s10);
          y = v128.load(b0 + rowA + off);
          s01 = madd(x0, y, s01);
          s11 = madd(x1, y, s11);
          y = v128.load(b0 + 2 * rowA + off);
          s02 = madd(x0, y, s02);
          s12 = madd(x1, y, s12);
          y = v128.load(b0 + 3 * rowA + off);
          s03 = madd(x0, y, s03);
          s13 = madd(x1, y, s13);
        }
        if (k4 < k) {
          t00 += tail(a0, b0, k4, k);
          t01 += tail(a0, b0 + rowA, k4, k);
          t02 += tail(a0, b0 + 2 * rowA, k4, k);
          t03 += tail(a0, b0 + 3 * rowA, k4, k);
          t10 += tail(a0 + rowA, b0, k4, k);
          t11 += tail(a0 + rowA, b0 + rowA, k4, k);
          t12 += tail(a0 + rowA, b0 + 2 * rowA, k4, k);
          t13 += tail(a0 + rowA, b0 + 3 * rowA, k4, k);
        }
      }
      emit(c, i, j, n, hsum(s00) + t00, accumulate);
      emit(c, i, j + 1, n, hsum(s01) + t01, accumulate);
      emit(c, i, j + 2, n, hsum(s02) + t02, accumulate);
      emit(c, i, j + 3, n, hsum(s03) + t03, accumulate);
      emit(c, i + 1, j, n, hsum(s10) + t10, accumulate);
      emit(c, i + 1, j + 1, n, hsum(s11) + t11, accumulate);
      emit(c, i + 1, j + 2, n, hsum(s12) + t12, accumulate);
      emit(c, i + 1, j + 3, n, hsum(s13) + t13, accumulate);
    }
    for (; j < n; j++)
      for (let r = 0; r < 2; r++)
        emit(c, i + r, j, n, dots(a + <usize>(i + r) * rowA, segA, b + <usize>j * rowA, segB, segs, k), accumulate);
    i += 2;
  }
  for (; i < m; i++) {
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s0 = f32x4.splat(0),
        s1 = f32x4.splat(0),
        s2 = f32x4.splat(0),
        s3 = f32x4.splat(0);
      let t0: f32 = 0,
        t1: f32 = 0,
        t2: f32 = 0,
        t3: f32 = 0;
      for (let seg = 0; seg < segs; seg++) {
        const a0 = a + <usize>seg * segA + <usize>i * rowA;
        const b0 = b + <usize>seg * segB + <usize>j * rowA;
        for (let p = 0; p < k4; p += 4) {
          const off = (<usize>p) << 2;
          const x = v128.load(a0 + off);
          s0 = madd(x, v128.load(b0 + off), s0);
          s1 = madd(x, v128.load(b0 + rowA + off), s1);
          s2 = madd(x, v128.load(b0 + 2 * rowA + off), s2);
          s3 = madd(x, v128.load(b0 + 3 * rowA + off), s3);
        }
        if (k4 < k) {
          t0 += tail(a0, b0, k4, k);
          t1 += tail(a0, b0 + rowA, k4, k);
          t2 += tail(a0, b0 + 2 * rowA, k4, k);
          t3 += tail(a0, b0 + 3 * rowA, k4, k);
        }
      }
      emit(c, i, j, n, hsum(s0) + t0, accumulate);
      emit(c, i, j + 1, n, hsum(s1) + t1, accumulate);
      emit(c, i, j + 2, n, hsum(s2) + t2, accumulate);
      emit(c, i, j + 3, n, hsum(s3) + t3, accumulate);
    }
    for (; j < n; j++)
      emit(c, i, j, n, dots(a + <usize>i * rowA, segA, b + <usize>j * rowA, segB, segs, k), accumulate);
  }
}

/** One row of A against one row of B, summed over the segments. */
function dots(a: usize, segA: usize, b: usize, segB: usize, segs: i32, k: i32): f32 {
  let total: f32 = 0;
  for (let seg = 0; seg < segs; seg++) total += dot(a + <usize>seg * segA, b + <usize>seg * segB, k);
  return total;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

function tail(a: usize, b: usize, from: i32, k: i32): f32 {
  let s: f32 = 0;
  for (let p = from; p < k; p++) s += load<f32>(a + ((<usize>p) << 2)) * load<f32>(b + ((<usize>p) << 2));
  return s;
}

function dot(a: usize, b: usize, k: i32): f32 {
  let acc = f32x4.splat(0);
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) acc = madd(v128.load(a + ((<usize>p) << 2)), v128.load(b + ((<usize>p) << 2)), acc);
  return hsum(acc) + tail(a, b, k4, k);
}

// @ts-ignore: decorator
@inline function emit(c: usize, i: i32, j: i32, n: i32, v: f32, accumulate: bool): void {
  const q = c + ((<usize>(i * n + j)) << 2);
  store<f32>(q, accumulate ? load<f32>(q) + v : v);
}
