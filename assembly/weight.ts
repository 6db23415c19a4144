// Weight gradients of stride-1 convolutions without a column matrix:
// dw[o, t] += sum over samples and output pixels of dy[s, o, p] * x[s, tap t moved to p], where
// the row of im2col(x) for tap t = (ch, i, j) at output row y is x[s, ch, y + i, j .. j + ow].
// Each tile keeps 8 vector accumulators over the pixels of a block of samples and reads x and dy
// where they lie, where im2col would write and re-read a column matrix kh * kw times the size of
// x. Between blocks the accumulators wait, unsummed, in `part`.

import { padInto } from './direct';
import { madd } from './madd';

/**
 * Bytes of x and dy a block of samples may span. Measured on Net's second convolution: blocks of
 * 3 samples (20 KB, in L1) lost to the tiles' loads and stores of `part`, and whole ranges of 32
 * to L2 misses; 12 samples (80 KB) ran fastest.
 */
const BLOCK_BYTES = 81920;

/** The 4 lanes of dw[o, t]'s partial sum (a tile's missing taps use the 3 spare slots of a row). */
// @ts-ignore: decorator
@inline function slot(part: usize, o: i32, t: i32, taps: i32): usize {
  return part + ((<usize>(o * (taps + 3) + t)) << 4);
}

/** Samples a block holds: about BLOCK_BYTES of (padded) x and 4 rows of dy. */
// @ts-ignore: decorator
@inline function blockOf(c: i32, hp: i32, wp: i32, oh: i32, ow: i32): i32 {
  return max(1, BLOCK_BYTES / ((c * hp * wp + 4 * oh * ow) << 2));
}

/**
 * Floats of the per-thread scratch convWeightDirectRange needs: partial sums, tap offsets and,
 * with padding, a block of padded samples.
 */
export function weightDirectScratchFloats(
  oc: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  ph: i32,
  pw: i32,
  oh: i32,
  ow: i32,
): i32 {
  const taps = c * kh * kw;
  const hp = h + 2 * ph;
  const wp = w + 2 * pw;
  const padded = ph > 0 || pw > 0 ? blockOf(c, hp, wp, oh, ow) * c * hp * wp : 0;
  // The tap offsets take taps + 3 ints, and the padded block starts at the next 16 bytes.
  return oc * (taps + 3) * 4 + taps + 7 + padded;
}

/**
 * dw[oc, c * kh * kw] += the weight gradient of samples [s0, s1) of x [n, c, h, w] and
 * dy [n, oc, oh, ow] for stride 1, with ow a multiple of 4. `part` is this thread's scratch
 * (weightDirectScratchFloats); with padding, each block of samples is padded into it first.
 */
export function convWeightDirectRange(
  x: usize,
  dy: usize,
  dw: usize,
  part: usize,
  s0: i32,
  s1: i32,
  c: i32,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  ph: i32,
  pw: i32,
  oh: i32,
  ow: i32,
  oc: i32,
): void {
  const taps = c * kh * kw;
  const hp = h + 2 * ph;
  const wp = w + 2 * pw;
  const partBytes = (<usize>(oc * (taps + 3))) << 4;
  memory.fill(part, 0, partBytes);
  // Where each tap's first pixel lies in a (padded) sample; the 3 past the last repeat it.
  const offsets = part + partBytes;
  for (let t = 0; t < taps + 3; t++) {
    const u = min(t, taps - 1);
    const r = u % (kh * kw);
    store<i32>(offsets + ((<usize>t) << 2), (((u / (kh * kw)) * hp + r / kw) * wp + (r % kw)) << 2);
  }
  const padded = (offsets + ((<usize>(taps + 4)) << 2) + 15) & ~15;
  const pad = ph > 0 || pw > 0;
  const sampleX = (<usize>(c * h * w)) << 2;
  const sampleXp = (<usize>(c * hp * wp)) << 2;
  const sampleDy = (<usize>(oc * oh * ow)) << 2;
  const block = blockOf(c, hp, wp, oh, ow);
  for (let b = s0; b < s1; b += block) {
    const count = min(s1, b + block) - b;
    let xb = x + <usize>b * sampleX;
    if (pad) {
      for (let s = 0; s < count; s++) padInto(xb + <usize>s * sampleX, c, h, w, ph, pw, padded + <usize>s * sampleXp);
      xb = padded;
    }
    blockTiles(xb, dy + <usize>b * sampleDy, part, offsets, count, c, hp, wp, oh, ow, oc, taps);
  }
  for (let o = 0; o < oc; o++) {
    for (let t = 0; t < taps; t++) {
      const v = v128.load(slot(part, o, t, taps));
      const q = dw + ((<usize>(o * taps + t)) << 2);
      store<f32>(
        q,
        load<f32>(q) +
          (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)),
      );
    }
  }
}

/**
 * Adds the products of `count` samples of x and dy to the partial sums: tiles of 4 output
 * channels x 2 taps, and 2 x 4 for the last 2 or 1 channels. A tile's missing taps read the last
 * one again and add into spare slots nobody reads.
 */
function blockTiles(
  x: usize,
  dy: usize,
  part: usize,
  offsets: usize,
  count: i32,
  c: i32,
  h: i32,
  w: i32,
  oh: i32,
  ow: i32,
  oc: i32,
  taps: i32,
): void {
  const l = oh * ow;
  const sampleX = (<usize>(c * h * w)) << 2;
  const sampleDy = (<usize>(oc * l)) << 2;
  const rowDy = (<usize>l) << 2;
  const rowBytes = (<usize>ow) << 2;
  const skip = (<usize>(w - ow)) << 2;
  const full = oc & ~3;
  for (let o = 0; o < full; o += 4) {
    for (let t = 0; t < taps; t += 2) {
      const x1 = <usize>load<i32>(offsets + ((<usize>(t + 1)) << 2)) - <usize>load<i32>(offsets + ((<usize>t) << 2));
      let a00 = v128.load(slot(part, o, t, taps)),
        a01 = v128.load(slot(part, o, t + 1, taps));
      let a10 = v128.load(slot(part, o + 1, t, taps)),
        a11 = v128.load(slot(part, o + 1, t + 1, taps));
      let a20 = v128.load(slot(part, o + 2, t, taps)),
        a21 = v128.load(slot(part, o + 2, t + 1, taps));
      let a30 = v128.load(slot(part, o + 3, t, taps)),
        a31 = v128.load(slot(part, o + 3, t + 1, taps));
      for (let s = 0; s < count; s++) {
        let pd = dy + <usize>s * sampleDy + <usize>o * rowDy;
        let px = x + <usize>s * sampleX + <usize>load<i32>(offsets + ((<usize>t) << 2));
        for (let y = 0; y < oh; y++) {
          const end = pd + rowBytes;
          for (; pd < end; pd += 16) {
            const v0 = v128.load(px),
              v1 = v128.load(px + x1);
            const g0 = v128.load(pd),
              g1 = v128.load(pd + rowDy);
            const g2 = v128.load(pd + 2 * rowDy),
              g3 = v128.load(pd + 3 * rowDy);
            a00 = madd(g0, v0, a00);
            a01 = madd(g0, v1, a01);
            a10 = madd(g1, v0, a10);
            a11 = madd(g1, v1, a11);
            a20 = madd(g2, v0, a20);
            a21 = madd(g2, v1, a21);
            a30 = madd(g3, v0, a30);
            a31 = madd(g3, v1, a31);
            px += 16;
          }
          px += skip;
        }
      }
      v128.store(slot(part, o, t, taps), a00);
      v128.store(slot(part, o, t + 1, taps), a01);
      v128.store(slot(part, o + 1, t, taps), a10);
      v128.store(slot(part, o + 1, t + 1, taps), a11);
      v128.store(slot(part, o + 2, t, taps), a20);
      v128.store(slot(part, o + 2, t + 1, taps), a21);
      v128.store(slot(part, o + 3, t, taps), a30);
      v128.store(slot(part, o + 3, t + 1, taps), a31);
    }
  }
  for (let o = full; o < oc; o += 2) {
    // A lone last channel is also the tile's second row: both rows then hold the same sums.
    const o1 = min(o + 1, oc - 1);
    const d1 = <usize>(o1 - o) * rowDy;
    for (let t = 0; t < taps; t += 4) {
      const t0 = <usize>load<i32>(offsets + ((<usize>t) << 2));
      const x1 = <usize>load<i32>(offsets + ((<usize>(t + 1)) << 2)) - t0;
      const x2 = <usize>load<i32>(offsets + ((<usize>(t + 2)) << 2)) - t0;
      const x3 = <usize>load<i32>(offsets + ((<usize>(t + 3)) << 2)) - t0;
      let a00 = v128.load(slot(part, o, t, taps)),
        a01 = v128.load(slot(part, o, t + 1, taps));
      let a02 = v128.load(slot(part, o, t + 2, taps)),
        a03 = v128.load(slot(part, o, t + 3, taps));
      let a10 = v128.load(slot(part, o1, t, taps)),
        a11 = v128.load(slot(part, o1, t + 1, taps));
      let a12 = v128.load(slot(part, o1, t + 2, taps)),
        a13 = v128.load(slot(part, o1, t + 3, taps));
      for (let s = 0; s < count; s++) {
        let pd = dy + <usize>s * sampleDy + <usize>o * rowDy;
        let px = x + <usize>s * sampleX + t0;
        for (let y = 0; y < oh; y++) {
          const end = pd + rowBytes;
          for (; pd < end; pd += 16) {
            const g0 = v128.load(pd),
              g1 = v128.load(pd + d1);
            let v = v128.load(px);
            a00 = madd(g0, v, a00);
            a10 = madd(g1, v, a10);
            v = v128.load(px + x1);
            a01 = madd(g0, v, a01);
            a11 = madd(g1, v, a11);
            v = v128.load(px + x2);
            a02 = madd(g0, v, a02);
            a12 = madd(g1, v, a12);
            v = v128.load(px + x3);
            a03 = madd(g0, v, a03);
            a13 = madd(g1, v, a13);
            px += 16;
          }
          px += skip;
        }
      }
      v128.store(slot(part, o, t, taps), a00);
      v128.store(slot(part, o, t + 1, taps), a01);
      v128.store(slot(part, o, t + 2, taps), a02);
      v128.store(slot(part, o, t + 3, taps), a03);
      v128.store(slot(part, o1, t, taps), a10);
      v128.store(slot(part, o1, t + 1, taps), a11);
      v128.store(slot(part, o1, t + 2, taps), a12);
      v128.store(slot(part, o1, t + 3, taps), a13);
    }
  }
}
