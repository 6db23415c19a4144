// Max pooling over [planes, h, w]; argmax holds each output's index within its input plane.

export function maxPoolForward(
  x: usize,
  out: usize,
  argmax: usize,
  planes: i32,
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
): void {
  // The 2x2 fast path reads whole windows: not for ceil mode's last, partial ones.
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && 2 * oh <= h && 2 * ow <= w) {
    maxPool2x2(x, out, argmax, planes, h, w, oh, ow);
    return;
  }
  let o = out;
  let a = argmax;
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>(p * h * w)) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = max(0, oy * sh - ph);
      const y1 = min(h, oy * sh - ph + kh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = max(0, ox * sw - pw);
        const x1 = min(w, ox * sw - pw + kw);
        let best: f32 = -Infinity;
        let bestIdx = y0 * w + x0;
        for (let yy = y0; yy < y1; yy++) {
          for (let xx = x0; xx < x1; xx++) {
            const idx = yy * w + xx;
            const v = load<f32>(plane + ((<usize>idx) << 2));
            if (v > best || v != v) {
              best = v;
              bestIdx = idx;
            }
          }
        }
        store<f32>(o, best);
        store<i32>(a, bestIdx);
        o += 4;
        a += 4;
      }
    }
  }
}

export function maxPoolBackward(dy: usize, argmax: usize, dx: usize, planes: i32, planeIn: i32, planeOut: i32): void {
  memory.fill(dx, 0, (<usize>(planes * planeIn)) << 2);
  for (let p = 0; p < planes; p++) {
    const base = dx + ((<usize>(p * planeIn)) << 2);
    for (let i = p * planeOut; i < (p + 1) * planeOut; i++) {
      const q = base + ((<usize>load<i32>(argmax + ((<usize>i) << 2))) << 2);
      store<f32>(q, load<f32>(q) + load<f32>(dy + ((<usize>i) << 2)));
    }
  }
}

/**
 * The common 2x2, stride 2 window, four outputs at a time. Candidates are taken in the scalar
 * kernel's order (top-left, top-right, bottom-left, bottom-right): the first maximum wins, and
 * as in PyTorch a NaN always takes the place, so both give the same values and indices.
 */
function maxPool2x2(x: usize, out: usize, argmax: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  const ow4 = ow & ~3;
  const rowBytes = (<usize>w) << 2;
  const lanes = i32x4(0, 2, 4, 6);
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>(p * h * w)) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const r0 = plane + ((<usize>(2 * oy * w)) << 2);
      const r1 = r0 + rowBytes;
      const o = out + ((<usize>((p * oh + oy) * ow)) << 2);
      const a = argmax + ((<usize>((p * oh + oy) * ow)) << 2);
      let ox = 0;
      for (; ox < ow4; ox += 4) {
        const off = (<usize>(2 * ox)) << 2;
        const t0 = v128.load(r0 + off),
          t1 = v128.load(r0 + off, 16);
        const b0 = v128.load(r1 + off),
          b1 = v128.load(r1 + off, 16);
        const tl = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
        const tr = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        const bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const base = i32x4.add(i32x4.splat(2 * oy * w + 2 * ox), lanes);
        let best = tl;
        let idx = base;
        let take = better(tr, best);
        best = v128.bitselect(tr, best, take);
        idx = v128.bitselect(i32x4.add(base, i32x4.splat(1)), idx, take);
        take = better(bl, best);
        best = v128.bitselect(bl, best, take);
        idx = v128.bitselect(i32x4.add(base, i32x4.splat(w)), idx, take);
        take = better(br, best);
        best = v128.bitselect(br, best, take);
        idx = v128.bitselect(i32x4.add(base, i32x4.splat(w + 1)), idx, take);
        v128.store(o + ((<usize>ox) << 2), best);
        v128.store(a + ((<usize>ox) << 2), idx);
      }
      for (; ox < ow; ox++) {
        const i0 = 2 * oy * w + 2 * ox;
        let bi = i0;
        bi = pick(plane, bi, i0 + 1);
        bi = pick(plane, bi, i0 + w);
        bi = pick(plane, bi, i0 + w + 1);
        store<f32>(o + ((<usize>ox) << 2), load<f32>(plane + ((<usize>bi) << 2)));
        store<i32>(a + ((<usize>ox) << 2), bi);
      }
    }
  }
}

/** Lanes where `v` replaces `best`: larger, or NaN. */
// @ts-ignore: decorator
@inline function better(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
}

/** The index of the window's winner so far after looking at `candidate`. */
// @ts-ignore: decorator
@inline function pick(plane: usize, bestIdx: i32, candidate: i32): i32 {
  const best = load<f32>(plane + ((<usize>bestIdx) << 2));
  const v = load<f32>(plane + ((<usize>candidate) << 2));
  return v > best || v != v ? candidate : bestIdx;
}
