// Convolution helpers around the packed GEMM: the image is read straight into the packed
// layout (implicit im2col), so no column matrix is ever written out.

// @ts-ignore: decorator
@inline const NR = 8;

/** Writes one sample's column matrix col[c*kh*kw, oh*ow] (zero where the window leaves the image). */
export function im2col(x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, col: usize): void {
  let out = col;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + i;
          if (iy < 0 || iy >= h) {
            memory.fill(out, 0, <usize>ow << 2);
            out += <usize>ow << 2;
            continue;
          }
          const row = x + (<usize>((ch * h + iy) * w) << 2);
          let ix = j - pw;
          for (let ox = 0; ox < ow; ox++) {
            store<f32>(out, ix >= 0 && ix < w ? load<f32>(row + (<usize>ix << 2)) : 0);
            out += 4;
            ix += sw;
          }
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
