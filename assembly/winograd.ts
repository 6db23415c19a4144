// Winograd F(2x2, 3x3) for 3x3 convolutions with stride 1 and padding 1: each 2x2 block of
// output pixels (a tile) costs 16 multiplies per input and output channel instead of 36. An odd
// side is padded with zeros to the next even one; outputs past the edge are dropped.
// Per sample: the padded input's 4x4 tiles are transformed (V = Bt d B), the 16
// tile positions each become a small product with the transformed weights (M = U V, summed over
// input channels), and M goes back to 2x2 outputs (Y = At M A). Tiles run 4 or 8 to a vector.

import { madd } from './madd';
import { padInto } from './direct';
import { gemmNT } from './gemm';
import { storeTile } from './tile';

/** Tiles per sample, rounded up so 8-tile vectors, and the last row's 4-tile stores, stay inside. */
// @ts-ignore: decorator
@inline function tileStride(h: i32, w: i32): i32 {
  const tw = (w + 1) >> 1;
  return ((((h + 1) >> 1) - 1) * tw + ((tw + 3) & ~3) + 7) & ~7;
}

/** The zero-padded sample's side: a 1-pixel border, and one more where the side is odd. */
// @ts-ignore: decorator
@inline function paddedSide(side: i32): i32 {
  return ((side + 1) & ~1) + 2;
}

/** The floats of one padded sample, with slack for the last 4-tile group's reads past its row. */
// @ts-ignore: decorator
@inline function paddedFloats(c: i32, h: i32, w: i32): i32 {
  return c * paddedSide(h) * paddedSide(w) + paddedSide(w) + 32;
}

/** A kernel tap `off` bytes into the 3x3 kernel at g, or the tap opposite it in the kernel turned half round. */
// @ts-ignore: decorator
@inline function tap(g: usize, off: usize, flip: bool): f32 {
  return load<f32>(flip ? g + 32 - off : g + off);
}

/**
 * Packs output channels [o0, o1) (multiples of 4) of weights [oc, c, 3, 3] as U [16][ceil(oc/4)][c][4],
 * U = G g Gt per channel pair, 4 output channels together. With `flip`, the weights are read as an
 * input gradient's: [c, oc, 3, 3], each kernel turned half round, the channel axes swapped.
 */
export function packWinogradWeights(w: usize, oc: i32, c: i32, dst: usize, o0: i32, o1: i32, flip: bool): void {
  const groups = (oc + 3) >> 2;
  const stride = (<usize>(groups * c * 4)) << 2;
  for (let o = o0; o < min(o1, groups * 4); o++) {
    for (let ch = 0; ch < c; ch++) {
      const p = dst + ((<usize>(((o >> 2) * c + ch) * 4 + (o & 3))) << 2);
      if (o >= oc) {
        for (let i = 0; i < 16; i++) store<f32>(p + <usize>i * stride, 0);
        continue;
      }
      const g = w + ((<usize>((flip ? ch * oc + o : o * c + ch) * 9)) << 2);
      // Rows i of G g (4 x 3): g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2 (g_k the kernel's row k),
      // then each times Gt along the columns the same way.
      for (let i = 0; i < 4; i++) {
        let r0: f32, r1: f32, r2: f32;
        if (i == 0 || i == 3) {
          const q: usize = i == 0 ? 0 : 24;
          r0 = tap(g, q, flip);
          r1 = tap(g, q + 4, flip);
          r2 = tap(g, q + 8, flip);
        } else if (i == 1) {
          r0 = (tap(g, 0, flip) + tap(g, 12, flip) + tap(g, 24, flip)) * 0.5;
          r1 = (tap(g, 4, flip) + tap(g, 16, flip) + tap(g, 28, flip)) * 0.5;
          r2 = (tap(g, 8, flip) + tap(g, 20, flip) + tap(g, 32, flip)) * 0.5;
        } else {
          r0 = (tap(g, 0, flip) - tap(g, 12, flip) + tap(g, 24, flip)) * 0.5;
          r1 = (tap(g, 4, flip) - tap(g, 16, flip) + tap(g, 28, flip)) * 0.5;
          r2 = (tap(g, 8, flip) - tap(g, 20, flip) + tap(g, 32, flip)) * 0.5;
        }
        const q = p + <usize>(4 * i) * stride;
        store<f32>(q, r0);
        store<f32>(q + stride, (r0 + r1 + r2) * 0.5);
        store<f32>(q + 2 * stride, (r0 - r1 + r2) * 0.5);
        store<f32>(q + 3 * stride, r2);
      }
    }
  }
}

/** The floats of the per-thread buffer convWinogradRange works in: the padded sample, V and M. */
export function winogradScratchSize(c: i32, h: i32, w: i32, oc: i32): i32 {
  const t = tileStride(h, w);
  return paddedFloats(c, h, w) + 16 * c * t + 16 * (((oc + 3) >> 2) << 2) * t;
}

/** Copies x [c, h, w] into dst [c, hp, wp] from row and column 1, zeroes around it. */
function padTiles(x: usize, c: i32, h: i32, w: i32, dst: usize): void {
  if (!((h | w) & 1)) {
    padInto(x, c, h, w, 1, 1, dst);
    return;
  }
  const hp = paddedSide(h),
    wp = paddedSide(w);
  memory.fill(dst, 0, (<usize>(c * hp * wp)) << 2);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const row = dst + ((<usize>((ch * hp + y + 1) * wp + 1)) << 2);
      memory.copy(row, x + ((<usize>((ch * h + y) * w)) << 2), (<usize>w) << 2);
    }
  }
}

/** V[p][ch][t] for one sample padded by padTiles, `ld` floats from one channel's tiles to the next. */
function transformInput(xp: usize, c: i32, h: i32, w: i32, v: usize, ld: i32): void {
  const th = (h + 1) >> 1,
    tw = (w + 1) >> 1;
  const hp = paddedSide(h),
    wp = paddedSide(w);
  const row = (<usize>wp) << 2;
  const plane = (<usize>(c * ld)) << 2;
  for (let ch = 0; ch < c; ch++) {
    const src = xp + <usize>(ch * hp * wp) * 4;
    const dstC = v + ((<usize>(ch * ld)) << 2);
    for (let ty = 0; ty < th; ty++) {
      const r = src + <usize>(2 * ty) * row;
      for (let tx = 0; tx < tw; tx += 4) {
        const col = r + ((<usize>(2 * tx)) << 2);
        const dst = dstC + ((<usize>(ty * tw + tx)) << 2);
        const a0 = v128.load(col),
          b0 = v128.load(col, 16),
          c0 = v128.load(col, 32);
        const a1 = v128.load(col + row),
          b1 = v128.load(col + row, 16),
          c1 = v128.load(col + row, 32);
        const a2 = v128.load(col + 2 * row),
          b2 = v128.load(col + 2 * row, 16),
          c2 = v128.load(col + 2 * row, 32);
        const a3 = v128.load(col + 3 * row),
          b3 = v128.load(col + 3 * row, 16),
          c3 = v128.load(col + 3 * row, 32);
        // Bt d: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3.
        columns(f32x4.sub(a0, a2), f32x4.sub(b0, b2), f32x4.sub(c0, c2), dst, plane);
        columns(f32x4.add(a1, a2), f32x4.add(b1, b2), f32x4.add(c1, c2), dst + 4 * plane, plane);
        columns(f32x4.sub(a2, a1), f32x4.sub(b2, b1), f32x4.sub(c2, c1), dst + 8 * plane, plane);
        columns(f32x4.sub(a1, a3), f32x4.sub(b1, b3), f32x4.sub(c1, c3), dst + 12 * plane, plane);
      }
    }
  }
}

/**
 * (Bt d) B for 4 tiles of one row i of Bt d (its columns 2tx .. 2tx + 9 in a, b, c): positions
 * 4i .. 4i + 3, the first at p and the next `plane` bytes apart.
 */
// @ts-ignore: decorator
@inline function columns(a: v128, b: v128, c: v128, p: usize, plane: usize): void {
  const e = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
  const o = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  const e2 = v128.shuffle<f32>(e, c, 1, 2, 3, 4);
  const o2 = v128.shuffle<f32>(o, c, 1, 2, 3, 5);
  v128.store(p, f32x4.sub(e, e2));
  v128.store(p + plane, f32x4.add(o, e2));
  v128.store(p + 2 * plane, f32x4.sub(e2, o));
  v128.store(p + 3 * plane, f32x4.sub(o, o2));
}

/**
 * M[p][o][t] = sum over ch of U[p][o][ch] V[p][ch][t], 4 output channels x 8 tiles in registers
 * (2 channels x 16 tiles for a last group of 2, as 10 channels leave).
 */
function multiply(u: usize, v: usize, m: usize, c: i32, oc: i32, groups: i32, ts: i32): void {
  for (let p = 0; p < 16; p++) {
    const vp = v + ((<usize>(p * c * ts)) << 2);
    for (let g = 0; g < groups; g++) {
      const ug = u + ((<usize>((p * groups + g) * c * 4)) << 2);
      const mg = m + ((<usize>((p * groups + g) * 4 * ts)) << 2);
      if (oc - 4 * g == 2) {
        multiplyPair(ug, vp, mg, c, ts);
        continue;
      }
      for (let t = 0; t < ts; t += 8) {
        let a00 = f32x4.splat(0),
          a01 = a00,
          a10 = a00,
          a11 = a00,
          a20 = a00,
          a21 = a00,
          a30 = a00,
          a31 = a00;
        let src = vp + ((<usize>t) << 2);
        let wt = ug;
        for (let ch = 0; ch < c; ch++) {
          const x0 = v128.load(src);
          const x1 = v128.load(src, 16);
          const w0 = v128.load32_splat(wt);
          const w1 = v128.load32_splat(wt, 4);
          const w2 = v128.load32_splat(wt, 8);
          const w3 = v128.load32_splat(wt, 12);
          a00 = madd(w0, x0, a00);
          a01 = madd(w0, x1, a01);
          a10 = madd(w1, x0, a10);
          a11 = madd(w1, x1, a11);
          a20 = madd(w2, x0, a20);
          a21 = madd(w2, x1, a21);
          a30 = madd(w3, x0, a30);
          a31 = madd(w3, x1, a31);
          src += (<usize>ts) << 2;
          wt += 16;
        }
        const o = mg + ((<usize>t) << 2);
        const stride = (<usize>ts) << 2;
        v128.store(o, a00);
        v128.store(o, a01, 16);
        v128.store(o + stride, a10);
        v128.store(o + stride, a11, 16);
        v128.store(o + 2 * stride, a20);
        v128.store(o + 2 * stride, a21, 16);
        v128.store(o + 3 * stride, a30);
        v128.store(o + 3 * stride, a31, 16);
      }
    }
  }
}

/** The last group's 2 output channels: 2 x 16 tiles, then 2 x 8 where 16 do not fit. */
function multiplyPair(ug: usize, vp: usize, mg: usize, c: i32, ts: i32): void {
  const stride = (<usize>ts) << 2;
  let t = 0;
  for (; t + 16 <= ts; t += 16) {
    let a00 = f32x4.splat(0),
      a01 = a00,
      a02 = a00,
      a03 = a00,
      a10 = a00,
      a11 = a00,
      a12 = a00,
      a13 = a00;
    let src = vp + ((<usize>t) << 2);
    let wt = ug;
    for (let ch = 0; ch < c; ch++) {
      const w0 = v128.load32_splat(wt);
      const w1 = v128.load32_splat(wt, 4);
      let x = v128.load(src);
      a00 = madd(w0, x, a00);
      a10 = madd(w1, x, a10);
      x = v128.load(src, 16);
      a01 = madd(w0, x, a01);
      a11 = madd(w1, x, a11);
      x = v128.load(src, 32);
      a02 = madd(w0, x, a02);
      a12 = madd(w1, x, a12);
      x = v128.load(src, 48);
      a03 = madd(w0, x, a03);
      a13 = madd(w1, x, a13);
      src += stride;
      wt += 16;
    }
    const o = mg + ((<usize>t) << 2);
    v128.store(o, a00);
    v128.store(o, a01, 16);
    v128.store(o, a02, 32);
    v128.store(o, a03, 48);
    v128.store(o + stride, a10);
    v128.store(o + stride, a11, 16);
    v128.store(o + stride, a12, 32);
    v128.store(o + stride, a13, 48);
  }
  for (; t < ts; t += 8) {
    let a00 = f32x4.splat(0),
      a01 = a00,
      a10 = a00,
      a11 = a00;
    let src = vp + ((<usize>t) << 2);
    let wt = ug;
    for (let ch = 0; ch < c; ch++) {
      const w0 = v128.load32_splat(wt);
      const w1 = v128.load32_splat(wt, 4);
      const x0 = v128.load(src);
      const x1 = v128.load(src, 16);
      a00 = madd(w0, x0, a00);
      a01 = madd(w0, x1, a01);
      a10 = madd(w1, x0, a10);
      a11 = madd(w1, x1, a11);
      src += stride;
      wt += 16;
    }
    const o = mg + ((<usize>t) << 2);
    v128.store(o, a00);
    v128.store(o, a01, 16);
    v128.store(o + stride, a10);
    v128.store(o + stride, a11, 16);
  }
}

/** out[o] = At M A + bias for one sample, 4 tiles (8 output columns of 2 rows) at a time. */
function transformOutput(m: usize, bias: usize, out: usize, oc: i32, groups: i32, h: i32, w: i32, ts: i32): void {
  const th = (h + 1) >> 1,
    tw = (w + 1) >> 1;
  const pStride = (<usize>(groups * 4 * ts)) << 2;
  for (let o = 0; o < oc; o++) {
    const b = f32x4.splat(bias != 0 ? load<f32>(bias + ((<usize>o) << 2)) : 0);
    const mo = m + ((<usize>(o * ts)) << 2);
    const plane = out + ((<usize>(o * h * w)) << 2);
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx += 4) {
        const q = mo + ((<usize>(ty * tw + tx)) << 2);
        // Rows of At M: r0 = m0 + m1 + m2, r1 = m1 - m2 - m3 (m_i the row i of the 4 x 4 M).
        let m0 = v128.load(q),
          m1 = v128.load(q + 4 * pStride),
          m2 = v128.load(q + 8 * pStride),
          m3 = v128.load(q + 12 * pStride);
        const r00 = f32x4.add(f32x4.add(m0, m1), m2),
          r10 = f32x4.sub(f32x4.sub(m1, m2), m3);
        m0 = v128.load(q + pStride);
        m1 = v128.load(q + 5 * pStride);
        m2 = v128.load(q + 9 * pStride);
        m3 = v128.load(q + 13 * pStride);
        const r01 = f32x4.add(f32x4.add(m0, m1), m2),
          r11 = f32x4.sub(f32x4.sub(m1, m2), m3);
        m0 = v128.load(q + 2 * pStride);
        m1 = v128.load(q + 6 * pStride);
        m2 = v128.load(q + 10 * pStride);
        m3 = v128.load(q + 14 * pStride);
        const r02 = f32x4.add(f32x4.add(m0, m1), m2),
          r12 = f32x4.sub(f32x4.sub(m1, m2), m3);
        m0 = v128.load(q + 3 * pStride);
        m1 = v128.load(q + 7 * pStride);
        m2 = v128.load(q + 11 * pStride);
        m3 = v128.load(q + 15 * pStride);
        const r03 = f32x4.add(f32x4.add(m0, m1), m2),
          r13 = f32x4.sub(f32x4.sub(m1, m2), m3);
        // Then (At M) A: y0 = r0 + r1 + r2, y1 = r1 - r2 - r3 along the columns.
        const y00 = f32x4.add(f32x4.add(f32x4.add(r00, r01), r02), b);
        const y01 = f32x4.add(f32x4.sub(f32x4.sub(r01, r02), r03), b);
        const y10 = f32x4.add(f32x4.add(f32x4.add(r10, r11), r12), b);
        const y11 = f32x4.add(f32x4.sub(f32x4.sub(r11, r12), r13), b);
        const top = plane + ((<usize>(2 * ty * w + 2 * tx)) << 2);
        const n = min(8, w - 2 * tx);
        storeTile(top, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5), v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), n);
        if (2 * ty + 1 < h)
          storeTile(
            top + ((<usize>w) << 2),
            v128.shuffle<f32>(y10, y11, 0, 4, 1, 5),
            v128.shuffle<f32>(y10, y11, 2, 6, 3, 7),
            n,
          );
      }
    }
  }
}

/**
 * out[s] = conv3x3(x[s], w, padding 1) + bias for samples [s0, s1) of x [n, c, h, w], with U
 * from packWinogradWeights, in this thread's `scratch` of winogradScratchSize floats.
 */
export function convWinogradRange(
  x: usize,
  scratch: usize,
  u: usize,
  bias: usize,
  out: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  oc: i32,
): void {
  const ts = tileStride(h, w);
  const groups = (oc + 3) >> 2;
  const v = scratch + ((<usize>paddedFloats(c, h, w)) << 2);
  const m = v + ((<usize>(16 * c * ts)) << 2);
  for (let s = s0; s < s1; s++) {
    padTiles(x + ((<usize>(s * c * h * w)) << 2), c, h, w, scratch);
    transformInput(scratch, c, h, w, v, ts);
    multiply(u, v, m, c, oc, groups, ts);
    transformOutput(m, bias, out + ((<usize>(s * oc * h * w)) << 2), oc, groups, h, w, ts);
  }
}

/** Samples whose V and Z the weight gradient holds at once: small images' products get longer. */
// @ts-ignore: decorator
@inline function weightBlock(ts: i32): i32 {
  return max(1, min(8, 128 / ts));
}

/**
 * The floats of the per-thread buffer convWinogradWeightRange works in: the padded sample, V and
 * Z of a block of samples, dU, and dy made even.
 */
export function winogradWeightScratchSize(c: i32, h: i32, w: i32, oc: i32): i32 {
  const t = tileStride(h, w);
  return paddedFloats(c, h, w) + weightBlock(t) * 16 * (c + oc) * t + 16 * oc * c + evenFloats(oc, h, w);
}

/** dy [oc, h, w] padded with zeros to even sides, in floats (none for even sides), with slack for a last 4-tile group. */
// @ts-ignore: decorator
@inline function evenFloats(oc: i32, h: i32, w: i32): i32 {
  return (h | w) & 1 ? oc * ((h + 1) & ~1) * ((w + 1) & ~1) + 8 : 0;
}

/** Copies dy [oc, h, w] into dst [oc, h', w'] of even sides, zeroes in the extra row and column. */
function padEven(dy: usize, oc: i32, h: i32, w: i32, dst: usize): void {
  const he = (h + 1) & ~1,
    we = (w + 1) & ~1;
  memory.fill(dst, 0, (<usize>(oc * he * we + 8)) << 2);
  for (let o = 0; o < oc; o++) {
    for (let y = 0; y < h; y++) {
      memory.copy(dst + ((<usize>((o * he + y) * we)) << 2), dy + ((<usize>((o * h + y) * w)) << 2), (<usize>w) << 2);
    }
  }
}

/**
 * Z[p][o][t] = A dy At for the 2x2 output blocks of one sample's gradient dy [oc, h, w] (h and w
 * even), one channel's tiles `ld` floats after the last's.
 */
function transformGradient(dy: usize, oc: i32, h: i32, w: i32, z: usize, ld: i32): void {
  const th = h >> 1,
    tw = w >> 1;
  const row = (<usize>w) << 2;
  const plane = (<usize>(oc * ld)) << 2;
  for (let o = 0; o < oc; o++) {
    const src = dy + ((<usize>(o * h * w)) << 2);
    const dstO = z + ((<usize>(o * ld)) << 2);
    for (let ty = 0; ty < th; ty++) {
      const r = src + <usize>(2 * ty) * row;
      for (let tx = 0; tx < tw; tx += 4) {
        const q = r + ((<usize>(2 * tx)) << 2);
        const a0 = v128.load(q),
          b0 = v128.load(q, 16),
          a1 = v128.load(q + row),
          b1 = v128.load(q + row, 16);
        const e0 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6),
          o0 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
        const e1 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6),
          o1 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
        const dst = dstO + ((<usize>(ty * tw + tx)) << 2);
        // Rows of A dy: dy0, dy0 + dy1, dy0 - dy1, -dy1; then the same along the columns.
        gradientColumns(e0, o0, dst, plane);
        gradientColumns(f32x4.add(e0, e1), f32x4.add(o0, o1), dst + 4 * plane, plane);
        gradientColumns(f32x4.sub(e0, e1), f32x4.sub(o0, o1), dst + 8 * plane, plane);
        gradientColumns(f32x4.neg(e1), f32x4.neg(o1), dst + 12 * plane, plane);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function gradientColumns(e: v128, o: v128, p: usize, plane: usize): void {
  v128.store(p, e);
  v128.store(p + plane, f32x4.add(e, o));
  v128.store(p + 2 * plane, f32x4.sub(e, o));
  v128.store(p + 3 * plane, f32x4.neg(o));
}

/** Zeroes tiles [first, last) of `rows` rows `ld` floats apart: what 4-tile groups wrote past a sample's last tile, or unused samples. */
function zeroTail(p: usize, rows: i32, first: i32, last: i32, ld: i32): void {
  for (let r = 0; r < rows; r++) {
    const q = p + ((<usize>(r * ld)) << 2);
    for (let t = first; t < last; t++) store<f32>(q + ((<usize>t) << 2), 0);
  }
}

/**
 * dw[oc, c, 3, 3] += the weight gradient of a 3x3 'same' convolution over samples [s0, s1) of x
 * [n, c, h, w] and dy [n, oc, h, w]: dU[p] = sum over tiles of Z[p] V[p]t, then
 * dw = Gt dU G, in this thread's `scratch` of winogradWeightScratchSize floats.
 */
export function convWinogradWeightRange(
  x: usize,
  dy: usize,
  dw: usize,
  scratch: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  oc: i32,
): void {
  const ts = tileStride(h, w);
  const he = (h + 1) & ~1,
    we = (w + 1) & ~1;
  const tiles = (he >> 1) * (we >> 1);
  // A block's samples lie side by side in each row of V and Z: products `block * ts` long.
  const block = weightBlock(ts);
  const ld = block * ts;
  const v = scratch + ((<usize>paddedFloats(c, h, w)) << 2);
  const z = v + ((<usize>(16 * c * ld)) << 2);
  const du = z + ((<usize>(16 * oc * ld)) << 2);
  const duSize = 16 * oc * c;
  const even = du + ((<usize>duSize) << 2);
  memory.fill(du, 0, (<usize>duSize) << 2);
  for (let b0 = s0; b0 < s1; b0 += block) {
    const count = min(block, s1 - b0);
    for (let k = 0; k < count; k++) {
      const s = b0 + k;
      const vs = v + ((<usize>(k * ts)) << 2),
        zs = z + ((<usize>(k * ts)) << 2);
      padTiles(x + ((<usize>(s * c * h * w)) << 2), c, h, w, scratch);
      transformInput(scratch, c, h, w, vs, ld);
      zeroTail(vs, 16 * c, tiles, ts, ld);
      let g = dy + ((<usize>(s * oc * h * w)) << 2);
      if ((h | w) & 1) {
        padEven(g, oc, h, w, even);
        g = even;
      }
      transformGradient(g, oc, he, we, zs, ld);
      zeroTail(zs, 16 * oc, tiles, ts, ld);
    }
    if (count < block) {
      zeroTail(v, 16 * c, count * ts, ld, ld);
      zeroTail(z, 16 * oc, count * ts, ld, ld);
    }
    // dU[p] += Z[p] V[p]t over the block's tiles.
    for (let p = 0; p < 16; p++) {
      gemmNT(
        z + ((<usize>(p * oc * ld)) << 2),
        v + ((<usize>(p * c * ld)) << 2),
        du + ((<usize>(p * oc * c)) << 2),
        oc,
        c,
        ld,
        true,
      );
    }
  }
  // dw += Gt dU G, Gt = [[1, .5, .5, 0], [0, .5, -.5, 0], [0, .5, .5, 1]].
  const pStride = (<usize>(oc * c)) << 2;
  for (let o = 0; o < oc; o++) {
    for (let ch = 0; ch < c; ch++) {
      const u = du + ((<usize>(o * c + ch)) << 2);
      const d = dw + ((<usize>((o * c + ch) * 9)) << 2);
      for (let j = 0; j < 4; j++) {
        // Column j of Gt dU, kept in the dU block (rows 0..2).
        const u0 = load<f32>(u + <usize>j * pStride),
          u1 = load<f32>(u + <usize>(4 + j) * pStride);
        const u2 = load<f32>(u + <usize>(8 + j) * pStride),
          u3 = load<f32>(u + <usize>(12 + j) * pStride);
        store<f32>(u + <usize>j * pStride, u0 + (u1 + u2) * 0.5);
        store<f32>(u + <usize>(4 + j) * pStride, (u1 - u2) * 0.5);
        store<f32>(u + <usize>(8 + j) * pStride, (u1 + u2) * 0.5 + u3);
      }
      for (let a = 0; a < 3; a++) {
        const q0 = load<f32>(u + <usize>(4 * a) * pStride),
          q1 = load<f32>(u + <usize>(4 * a + 1) * pStride);
        const q2 = load<f32>(u + <usize>(4 * a + 2) * pStride),
          q3 = load<f32>(u + <usize>(4 * a + 3) * pStride);
        const at = d + ((<usize>(3 * a)) << 2);
        store<f32>(at, load<f32>(at) + q0 + (q1 + q2) * 0.5);
        store<f32>(at + 4, load<f32>(at + 4) + (q1 - q2) * 0.5);
        store<f32>(at + 8, load<f32>(at + 8) + (q1 + q2) * 0.5 + q3);
      }
    }
  }
}
