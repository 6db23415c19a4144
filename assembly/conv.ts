// Convolution helpers around the packed GEMM: the image is read straight into the packed
// layout (implicit im2col), so no column matrix is ever written out.

// @ts-ignore: decorator
@inline const NR = 8;

/** Copies n floats; short rows are the common case, where a call to memory.copy costs more. */
// @ts-ignore: decorator
@inline function copyFloats(dst: usize, src: usize, n: i32): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) v128.store(dst + ((<usize>t) << 2), v128.load(src + ((<usize>t) << 2)));
  for (; t < n; t++) store<f32>(dst + ((<usize>t) << 2), load<f32>(src + ((<usize>t) << 2)));
}

// @ts-ignore: decorator
@inline function zeroFloats(dst: usize, n: i32): void {
  for (let t = 0; t < n; t++) store<f32>(dst + ((<usize>t) << 2), 0);
}

// @ts-ignore: decorator
@inline function ceilDiv(a: i32, b: i32): i32 {
  return a >= 0 ? (a + b - 1) / b : -(-a / b);
}

/** The first output column whose input column ox*sw - pw + j lies inside the image. */
// @ts-ignore: decorator
@inline function firstInside(j: i32, sw: i32, pw: i32, ow: i32): i32 {
  return min(ow, max(0, ceilDiv(pw - j, sw)));
}

/** One past the last output column whose input column lies inside the image (at least `from`). */
// @ts-ignore: decorator
@inline function endInside(j: i32, sw: i32, pw: i32, w: i32, ow: i32, from: i32): i32 {
  return max(from, min(ow, ceilDiv(w + pw - j, sw)));
}

/** Writes one sample's column matrix col[c*kh*kw, oh*ow] (zero where the window leaves the image). */
export function im2col(
  x: usize,
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
  col: usize,
): void {
  let out = col;
  const rowBytes = (<usize>ow) << 2;
  if (sh == 1 && sw == 1 && ph == 0 && pw == 0) {
    // Every window lies inside the image: each row is one straight copy.
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let src = x + ((<usize>((ch * h + i) * w + j)) << 2);
          for (let oy = 0; oy < oh; oy++) {
            copyFloats(out, src, ow);
            out += rowBytes;
            src += (<usize>w) << 2;
          }
        }
      }
    }
    return;
  }
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const ox0 = firstInside(j, sw, pw, ow);
        const ox1 = endInside(j, sw, pw, w, ow, ox0);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + i;
          if (iy < 0 || iy >= h) {
            zeroFloats(out, ow);
          } else {
            zeroFloats(out, ox0);
            const src = x + ((<usize>((ch * h + iy) * w + ox0 * sw - pw + j)) << 2);
            if (sw == 1) {
              copyFloats(out + ((<usize>ox0) << 2), src, ox1 - ox0);
            } else {
              for (let ox = ox0; ox < ox1; ox++)
                store<f32>(out + ((<usize>ox) << 2), load<f32>(src + ((<usize>((ox - ox0) * sw)) << 2)));
            }
            zeroFloats(out + ((<usize>ox1) << 2), ow - ox1);
          }
          out += rowBytes;
        }
      }
    }
  }
}

/** Adds col[c*kh*kw, oh*ow] back into one sample's image gradient dx[c, h, w] (the adjoint of im2col). */
export function col2im(
  col: usize,
  dx: usize,
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
): void {
  let src = col;
  const rowBytes = (<usize>ow) << 2;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const ox0 = firstInside(j, sw, pw, ow);
        const ox1 = endInside(j, sw, pw, w, ow, ox0);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + i;
          if (iy >= 0 && iy < h) {
            const dst = dx + ((<usize>((ch * h + iy) * w + ox0 * sw - pw + j)) << 2);
            const from = src + ((<usize>ox0) << 2);
            const n = ox1 - ox0;
            if (sw == 1) {
              let t = 0;
              for (; t + 4 <= n; t += 4) {
                const q = dst + ((<usize>t) << 2);
                v128.store(q, f32x4.add(v128.load(q), v128.load(from + ((<usize>t) << 2))));
              }
              for (; t < n; t++) {
                const q = dst + ((<usize>t) << 2);
                store<f32>(q, load<f32>(q) + load<f32>(from + ((<usize>t) << 2)));
              }
            } else {
              for (let t = 0; t < n; t++) {
                const q = dst + ((<usize>(t * sw)) << 2);
                store<f32>(q, load<f32>(q) + load<f32>(from + ((<usize>t) << 2)));
              }
            }
          }
          src += rowBytes;
        }
      }
    }
  }
}
