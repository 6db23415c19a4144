// The convolution passes over a range of samples [s0, s1): the unit of work a thread takes.
// Each thread passes its own column buffer `col`; packed weights are shared and only read.

import { gemm, gemmNTSegments } from './gemm';
import { col2im, im2col } from './conv';
import { padInto } from './direct';

/** out[s] (+)= W @ im2col(x[s]); `pa` holds W packed, `accumulate` when out is prefilled with the bias. */
export function convForwardRange(x: usize, pa: usize, out: usize, col: usize, s0: i32, s1: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, oc: i32, accumulate: bool): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  for (let s = s0; s < s1; s++) {
    im2col(x + (<usize>(s * c * h * w) << 2), c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, col);
    gemm(pa, col, 32, l * 4, out + (<usize>(s * oc * l) << 2), oc, l, ckk, l, accumulate);
  }
}

/** dx[s] += col2im(W^T @ dy[s]); `pa` holds W^T packed; dx must be zeroed. */
export function convBackwardInputRange(dy: usize, pa: usize, dx: usize, col: usize, s0: i32, s1: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, oc: i32): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  for (let s = s0; s < s1; s++) {
    gemm(pa, dy + (<usize>(s * oc * l) << 2), 32, l * 4, col, ckk, l, oc, l, false);
    col2im(col, dx + (<usize>(s * c * h * w) << 2), c, h, w, kh, kw, sh, sw, ph, pw, oh, ow);
  }
}

/**
 * dw += sum over s of dy[s] @ im2col(x[s])^T, `block` samples at a time: their column matrices are
 * built side by side in `col` (which holds that many) and summed in one pass, so each tile of dw
 * is written once per block: that pays where each sample's product is short (small images).
 * For stride 1 with padding, each sample is first padded into the space after the column
 * matrices (c * (h + 2ph) * (w + 2pw) floats), so im2col copies whole rows.
 */
export function convBackwardWeightRange(x: usize, dy: usize, dw: usize, col: usize, s0: i32, s1: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, oc: i32, block: i32): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  const padFirst = sh == 1 && sw == 1 && (ph > 0 || pw > 0);
  const scratch = col + (<usize>(block * ckk * l) << 2);
  for (let b = s0; b < s1; b += block) {
    const e = min(s1, b + block);
    for (let s = b; s < e; s++) {
      const xs = x + (<usize>(s * c * h * w) << 2);
      const cs = col + (<usize>((s - b) * ckk * l) << 2);
      if (padFirst) {
        padInto(xs, c, h, w, ph, pw, scratch);
        im2col(scratch, c, h + 2 * ph, w + 2 * pw, kh, kw, 1, 1, 0, 0, oh, ow, cs);
      } else {
        im2col(xs, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, cs);
      }
    }
    gemmNTSegments(dy + (<usize>(b * oc * l) << 2), oc * l, col, ckk * l, e - b, dw, oc, ckk, l, true);
  }
}
