// The convolution passes over a range of samples [s0, s1): the unit of work a thread takes.
// Each thread passes its own column buffer `col`; packed weights are shared and only read.

import { gemm, gemmNTSegments } from './gemm';
import { madd } from './madd';
import { col2im, im2col } from './conv';
import { padInto } from './direct';

/** out[s] (+)= W @ im2col(x[s]); `pa` holds W packed, `accumulate` when out is prefilled with the bias. */
export function convForwardRange(
  x: usize,
  pa: usize,
  out: usize,
  col: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  oh: i32,
  ow: i32,
  oc: i32,
  accumulate: bool,
): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  for (let s = s0; s < s1; s++) {
    im2col(x + ((<usize>(s * c * h * w)) << 2), c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, col);
    gemm(pa, col, 32, l * 4, out + ((<usize>(s * oc * l)) << 2), oc, l, ckk, l, accumulate);
  }
}

/** dx[s] += col2im(W^T @ dy[s]); `pa` holds W^T packed; dx must be zeroed. */
export function convBackwardInputRange(
  dy: usize,
  pa: usize,
  dx: usize,
  col: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  oh: i32,
  ow: i32,
  oc: i32,
): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  for (let s = s0; s < s1; s++) {
    gemm(pa, dy + ((<usize>(s * oc * l)) << 2), 32, l * 4, col, ckk, l, oc, l, false);
    col2im(col, dx + ((<usize>(s * c * h * w)) << 2), c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }
}

/**
 * dw += sum over s of dy[s] @ im2col(x[s])^T, `block` samples at a time: their column matrices are
 * built side by side in `col` (which holds that many) and summed in one pass, so each tile of dw
 * is written once per block: that pays where each sample's product is short (small images).
 * For stride 1 with padding, each sample is first padded into the space after the column
 * matrices (c * (h + 2ph) * (w + 2pw) floats), so im2col copies whole rows.
 */
export function convBackwardWeightRange(
  x: usize,
  dy: usize,
  dw: usize,
  col: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  oh: i32,
  ow: i32,
  oc: i32,
  block: i32,
): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  const padFirst = sh == 1 && sw == 1 && (ph > 0 || pw > 0);
  const scratch = col + ((<usize>(block * ckk * l)) << 2);
  for (let b = s0; b < s1; b += block) {
    const e = min(s1, b + block);
    for (let s = b; s < e; s++) {
      const xs = x + ((<usize>(s * c * h * w)) << 2);
      const cs = col + ((<usize>((s - b) * ckk * l)) << 2);
      if (padFirst) {
        padInto(xs, c, h, w, ph, pw, scratch);
        im2col(scratch, c, h + 2 * ph, w + 2 * pw, kh, kw, 1, 1, 0, 0, oh, ow, cs);
      } else {
        im2col(xs, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, cs);
      }
    }
    gemmNTSegments(dy + ((<usize>(b * oc * l)) << 2), oc * l, col, ckk * l, e - b, dw, oc, ckk, l, true);
  }
}

/**
 * Copies w [oc, c, kh, kw] to dst [oc, c, kw, kh]. convBackwardInputDirectRange takes its rows of
 * W^T in this order: the 4 rows of a tile then land in different image rows. In the [c, kh, kw]
 * order they would be taps j, j + 1, ... of one row, and each tile's add into dx would load
 * what the previous one stored 4 bytes away, which stalls store-to-load forwarding.
 */
export function permuteTaps(w: usize, oc: i32, c: i32, kh: i32, kw: i32, dst: usize): void {
  for (let p = 0; p < oc * c; p++) {
    const src = w + ((<usize>(p * kh * kw)) << 2);
    const out = dst + ((<usize>(p * kh * kw)) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++)
        store<f32>(out + ((<usize>(j * kh + i)) << 2), load<f32>(src + ((<usize>(i * kw + j)) << 2)));
    }
  }
}

/**
 * dx[s] += col2im(W^T @ dy[s]) for stride 1 without padding and output rows a multiple of 8 wide
 * (Net's and LeNet's second convolutions), without the column matrix: each 4 x 8 tile of W^T @ dy
 * (4 kernel taps x 8 output pixels of one row) is added straight into the 8 image pixels it
 * belongs to. `pa` holds W^T packed, its rows permuted by permuteTaps; `offsets` has room for
 * c * kh * kw ints; dx must be zeroed.
 */
export function convBackwardInputDirectRange(
  dy: usize,
  pa: usize,
  dx: usize,
  offsets: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  oh: i32,
  ow: i32,
  oc: i32,
): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  // Where each row of W^T @ dy (channel ch, tap i, j, in the order of permuteTaps) lands in a
  // sample's dx, for output pixel 0.
  for (let ch = 0; ch < c; ch++) {
    for (let j = 0; j < kw; j++) {
      for (let i = 0; i < kh; i++)
        store<i32>(offsets + ((<usize>((ch * kw + j) * kh + i)) << 2), ((ch * h + i) * w + j) << 2);
    }
  }
  const panels = (ckk + 3) >> 2;
  const rowBytes = (<usize>l) << 2;
  for (let s = s0; s < s1; s++) {
    const dys = dy + ((<usize>(s * oc * l)) << 2);
    const dxs = dx + ((<usize>(s * c * h * w)) << 2);
    for (let strip = 0; strip < l; strip += 8) {
      const at = dxs + ((<usize>((strip / ow) * w + (strip % ow))) << 2);
      for (let q = 0; q < panels; q++) {
        let ap = pa + <usize>(q * oc * 4) * 4;
        let bp = dys + ((<usize>strip) << 2);
        let c00 = f32x4.splat(0),
          c01 = c00,
          c10 = c00,
          c11 = c00,
          c20 = c00,
          c21 = c00,
          c30 = c00,
          c31 = c00;
        for (let p = 0; p < oc; p++) {
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
        const r0 = q * 4;
        addInto(at + <usize>load<i32>(offsets + ((<usize>r0) << 2)), c00, c01);
        if (r0 + 1 < ckk) addInto(at + <usize>load<i32>(offsets + ((<usize>(r0 + 1)) << 2)), c10, c11);
        if (r0 + 2 < ckk) addInto(at + <usize>load<i32>(offsets + ((<usize>(r0 + 2)) << 2)), c20, c21);
        if (r0 + 3 < ckk) addInto(at + <usize>load<i32>(offsets + ((<usize>(r0 + 3)) << 2)), c30, c31);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function addInto(p: usize, lo: v128, hi: v128): void {
  v128.store(p, f32x4.add(v128.load(p), lo));
  v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
}
