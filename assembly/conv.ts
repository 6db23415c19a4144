// Convolution helpers around the packed GEMM: the image is read straight into the packed
// layout (implicit im2col), so no column matrix is ever written out.

// @ts-ignore: decorator
@inline const NR = 8;

/** Value of the im2col matrix at row p = (c, i, j) and column l = (oy, ox), zero in the padding. */
// @ts-ignore: decorator
@inline function colAt(x: usize, h: i32, w: i32, ch: i32, iy: i32, ix: i32): f32 {
  if (iy < 0 || iy >= h || ix < 0 || ix >= w) return 0;
  return load<f32>(x + (<usize>((ch * h + iy) * w + ix) << 2));
}

/**
 * Packs col[ckk, l] (one sample's im2col, ckk = c*kh*kw rows, l = oh*ow columns) as the B operand
 * of `out = W @ col`: strips of 8 columns of l.
 */
export function packImageCols(x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, dst: usize): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  const strips = (l + NR - 1) / NR;
  let out = dst;
  for (let s = 0; s < strips; s++) {
    const j0 = s * NR;
    const oy0 = j0 / ow;
    const ox0 = j0 - oy0 * ow;
    for (let p = 0; p < ckk; p++) {
      const ch = p / (kh * kw);
      const rem = p - ch * kh * kw;
      const i = rem / kw;
      const j = rem - i * kw;
      let oy = oy0;
      let ox = ox0;
      for (let jj = 0; jj < NR; jj++) {
        const v: f32 = j0 + jj < l ? colAt(x, h, w, ch, oy * sh - ph + i, ox * sw - pw + j) : 0;
        store<f32>(out, v);
        out += 4;
        if (++ox == ow) {
          ox = 0;
          oy++;
        }
      }
    }
  }
}

/**
 * Packs col^T[l, ckk] as the B operand of `dW = dY @ col^T`: strips of 8 columns of ckk, rows l.
 */
export function packImageColsT(x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, dst: usize): void {
  const l = oh * ow;
  const ckk = c * kh * kw;
  const strips = (ckk + NR - 1) / NR;
  let out = dst;
  for (let s = 0; s < strips; s++) {
    const p0 = s * NR;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let jj = 0; jj < NR; jj++) {
          const p = p0 + jj;
          let v: f32 = 0;
          if (p < ckk) {
            const ch = p / (kh * kw);
            const rem = p - ch * kh * kw;
            const i = rem / kw;
            v = colAt(x, h, w, ch, oy * sh - ph + i, ox * sw - pw + (rem - i * kw));
          }
          store<f32>(out, v);
          out += 4;
        }
      }
    }
  }
}

/** Adds col[ckk, l] back into one sample's image gradient dx[c, h, w] (the adjoint of im2col). */
export function col2im(col: usize, dx: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  const l = oh * ow;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = col + (<usize>(((ch * kh + i) * kw + j) * l) << 2);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + i;
          if (iy < 0 || iy >= h) continue;
          const src = row + (<usize>(oy * ow) << 2);
          const dst = dx + (<usize>((ch * h + iy) * w) << 2);
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + j;
            if (ix >= 0 && ix < w) {
              const q = dst + (<usize>ix << 2);
              store<f32>(q, load<f32>(q) + load<f32>(src + (<usize>ox << 2)));
            }
          }
        }
      }
    }
  }
}
