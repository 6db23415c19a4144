// Direct convolution for stride 1, vectorised over output pixels: each tile keeps 4 output
// channels x 8 pixels of one output row in registers (5 x 8 ran out of registers and was slower). No column matrix is built. Each sample is
// first copied, zero-padded, into a per-thread buffer with slack after it, since a row's last
// tile may read past the row's end.

import { madd } from './madd';
import { storeTile } from './tile';

/** Packs weights [oc, c, kh, kw] as [ceil(oc/4)][c][kh][kw][4] (missing channels zero). */
export function packDirectWeights(w: usize, oc: i32, c: i32, kh: i32, kw: i32, dst: usize): void {
  const taps = c * kh * kw;
  const groups = (oc + 3) >> 2;
  let out = dst;
  for (let g = 0; g < groups; g++) {
    for (let t = 0; t < taps; t++) {
      for (let r = 0; r < 4; r++) {
        const o = g * 4 + r;
        store<f32>(out, o < oc ? load<f32>(w + ((<usize>(o * taps + t)) << 2)) : 0);
        out += 4;
      }
    }
  }
}

/** Copies x [c, h, w] into dst [c, h + 2ph, w + 2pw], writing zeros only on the border. */
export function padInto(x: usize, c: i32, h: i32, w: i32, ph: i32, pw: i32, dst: usize): void {
  const hp = h + 2 * ph;
  const wp = w + 2 * pw;
  const rowBytes = (<usize>wp) << 2;
  for (let ch = 0; ch < c; ch++) {
    const plane = dst + ((<usize>(ch * hp * wp)) << 2);
    memory.fill(plane, 0, <usize>ph * rowBytes);
    for (let y = 0; y < h; y++) {
      const row = plane + <usize>(y + ph) * rowBytes;
      for (let k = 0; k < pw; k++) {
        store<f32>(row + ((<usize>k) << 2), 0);
        store<f32>(row + ((<usize>(pw + w + k)) << 2), 0);
      }
      // Rows this short copy faster as vectors than through memory.copy.
      const dst = row + ((<usize>pw) << 2);
      const src = x + ((<usize>((ch * h + y) * w)) << 2);
      let t = 0;
      for (; t + 4 <= w; t += 4) v128.store(dst + ((<usize>t) << 2), v128.load(src + ((<usize>t) << 2)));
      for (; t < w; t++) store<f32>(dst + ((<usize>t) << 2), load<f32>(src + ((<usize>t) << 2)));
    }
    memory.fill(plane + <usize>(ph + h) * rowBytes, 0, <usize>ph * rowBytes);
  }
}

/** The floats of the per-thread buffer convDirectRange pads each sample into. */
export function directScratchSize(c: i32, hp: i32, wp: i32): i32 {
  // Slack after the image: a row's last 16-pixel tile reads past the row's end.
  return c * hp * wp + wp + 32;
}

/**
 * out[s][oc, oh, ow] = bias + sum over c, i, j of xpad[s][c, oy + i, ox + j] * w[oc, c, i, j] for
 * the samples [s0, s1) of x [n, c, h, w], each first padded by (ph, pw) into this thread's
 * `scratch` (so the copy stays in cache). `pwts` holds the weights packed by packDirectWeights;
 * `bias` is 0 for none.
 */
export function convDirectRange(
  x: usize,
  scratch: usize,
  pwts: usize,
  bias: usize,
  out: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  ph: i32,
  pw: i32,
  kh: i32,
  kw: i32,
  oc: i32,
  oh: i32,
  ow: i32,
): void {
  const hp = h + 2 * ph;
  const wp = w + 2 * pw;
  const groups = (oc + 3) >> 2;
  const taps = c * kh * kw;
  const plane = oh * ow;
  for (let s = s0; s < s1; s++) {
    padInto(x + ((<usize>(s * c * h * w)) << 2), c, h, w, ph, pw, scratch);
    const o = out + ((<usize>(s * oc * plane)) << 2);
    for (let g = 0; g < groups; g++) {
      const wg = pwts + ((<usize>(g * taps * 4)) << 2);
      // Two channels left over (10 = 4 + 4 + 2): 2 channels x 16 pixels keeps 8 accumulators busy.
      if (oc - g * 4 == 2) tiles2(scratch, wg, bias, o, g * 4, c, hp, wp, kh, kw, oh, ow);
      else tiles4(scratch, wg, bias, o, g * 4, c, hp, wp, kh, kw, oc, oh, ow);
    }
  }
}

// @ts-ignore: decorator
@inline function biasOf(bias: usize, o: i32, oc: i32): f32 {
  return bias != 0 && o < oc ? load<f32>(bias + ((<usize>o) << 2)) : 0;
}

/** One group of 4 output channels over a padded sample: 4 channels x 8 pixels in registers. */
function tiles4(
  x: usize,
  wg: usize,
  bias: usize,
  o: usize,
  o0: i32,
  c: i32,
  hp: i32,
  wp: i32,
  kh: i32,
  kw: i32,
  oc: i32,
  oh: i32,
  ow: i32,
): void {
  const plane = oh * ow;
  const b0 = biasOf(bias, o0, oc),
    b1 = biasOf(bias, o0 + 1, oc),
    b2 = biasOf(bias, o0 + 2, oc),
    b3 = biasOf(bias, o0 + 3, oc);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox += 8) {
      let a00 = f32x4.splat(b0),
        a01 = a00;
      let a10 = f32x4.splat(b1),
        a11 = a10;
      let a20 = f32x4.splat(b2),
        a21 = a20;
      let a30 = f32x4.splat(b3),
        a31 = a30;
      let wt = wg;
      for (let ch = 0; ch < c; ch++) {
        for (let i = 0; i < kh; i++) {
          let src = x + ((<usize>((ch * hp + oy + i) * wp + ox)) << 2);
          for (let j = 0; j < kw; j++) {
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
            src += 4;
            wt += 16;
          }
        }
      }
      const n = min(8, ow - ox);
      const base = o + ((<usize>(o0 * plane + oy * ow + ox)) << 2);
      const stride = (<usize>plane) << 2;
      storeTile(base, a00, a01, n);
      if (o0 + 1 < oc) storeTile(base + stride, a10, a11, n);
      if (o0 + 2 < oc) storeTile(base + 2 * stride, a20, a21, n);
      if (o0 + 3 < oc) storeTile(base + 3 * stride, a30, a31, n);
    }
  }
}

/** The last 2 output channels of a group (packed 4 wide, 2 used), 2 channels x 16 pixels a tile. */
function tiles2(
  x: usize,
  wg: usize,
  bias: usize,
  o: usize,
  o0: i32,
  c: i32,
  hp: i32,
  wp: i32,
  kh: i32,
  kw: i32,
  oh: i32,
  ow: i32,
): void {
  const plane = oh * ow;
  const b0 = biasOf(bias, o0, o0 + 2),
    b1 = biasOf(bias, o0 + 1, o0 + 2);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox += 16) {
      let a00 = f32x4.splat(b0),
        a01 = a00,
        a02 = a00,
        a03 = a00;
      let a10 = f32x4.splat(b1),
        a11 = a10,
        a12 = a10,
        a13 = a10;
      let wt = wg;
      for (let ch = 0; ch < c; ch++) {
        for (let i = 0; i < kh; i++) {
          let src = x + ((<usize>((ch * hp + oy + i) * wp + ox)) << 2);
          for (let j = 0; j < kw; j++) {
            const w0 = v128.load32_splat(wt);
            const w1 = v128.load32_splat(wt, 4);
            let xv = v128.load(src);
            a00 = madd(w0, xv, a00);
            a10 = madd(w1, xv, a10);
            xv = v128.load(src, 16);
            a01 = madd(w0, xv, a01);
            a11 = madd(w1, xv, a11);
            xv = v128.load(src, 32);
            a02 = madd(w0, xv, a02);
            a12 = madd(w1, xv, a12);
            xv = v128.load(src, 48);
            a03 = madd(w0, xv, a03);
            a13 = madd(w1, xv, a13);
            src += 4;
            wt += 16;
          }
        }
      }
      const n = min(16, ow - ox);
      const base = o + ((<usize>(o0 * plane + oy * ow + ox)) << 2);
      const stride = (<usize>plane) << 2;
      storeTile(base, a00, a01, min(8, n));
      storeTile(base + stride, a10, a11, min(8, n));
      if (n > 8) {
        storeTile(base + 32, a02, a03, n - 8);
        storeTile(base + stride + 32, a12, a13, n - 8);
      }
    }
  }
}
