import type { Conv2dGeometry, FloatArray } from '../types.js';
import { matmul } from './matmul.js';

/** col[(c*kh+i)*kw+j, oh*ow] = x[c, oy*sh-ph+i, ox*sw-pw+j] (zero outside) for one sample. */
function im2col(x: FloatArray, xOff: number, col: FloatArray, g: Conv2dGeometry): void {
  const { c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const l = oh * ow;
  for (let ch = 0; ch < c; ch++) {
    const plane = xOff + ch * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = ((ch * kh + i) * kw + j) * l;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + i;
          const dst = row + oy * ow;
          if (iy < 0 || iy >= h) {
            col.fill(0, dst, dst + ow);
            continue;
          }
          const src = plane + iy * w;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + j;
            col[dst + ox] = ix >= 0 && ix < w ? x[src + ix] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each column entry back into dx for one sample. */
function col2im(col: FloatArray, dx: FloatArray, xOff: number, g: Conv2dGeometry): void {
  const { c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const l = oh * ow;
  for (let ch = 0; ch < c; ch++) {
    const plane = xOff + ch * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = ((ch * kh + i) * kw + j) * l;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + i;
          if (iy < 0 || iy >= h) continue;
          const src = row + oy * ow;
          const dst = plane + iy * w;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + j;
            if (ix >= 0 && ix < w) dx[dst + ix] += col[src + ox];
          }
        }
      }
    }
  }
}

function columns(x: FloatArray, g: Conv2dGeometry): FloatArray {
  return new (x.constructor as Float32ArrayConstructor)(g.c * g.kh * g.kw * g.oh * g.ow);
}

export function conv2dForward(
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  out: FloatArray,
  g: Conv2dGeometry,
): void {
  const ckk = g.c * g.kh * g.kw;
  const l = g.oh * g.ow;
  const col = columns(x, g);
  for (let s = 0; s < g.n; s++) {
    im2col(x, s * g.c * g.h * g.w, col, g);
    const y = out.subarray(s * g.oc * l, (s + 1) * g.oc * l);
    if (bias) for (let o = 0; o < g.oc; o++) y.fill(bias[o], o * l, (o + 1) * l);
    matmul(weight, col, y, g.oc, l, ckk, false, false, bias !== null);
  }
}

export function conv2dBackwardInput(dy: FloatArray, weight: FloatArray, dx: FloatArray, g: Conv2dGeometry): void {
  const ckk = g.c * g.kh * g.kw;
  const l = g.oh * g.ow;
  const col = columns(dx, g);
  dx.fill(0);
  for (let s = 0; s < g.n; s++) {
    matmul(weight, dy.subarray(s * g.oc * l, (s + 1) * g.oc * l), col, ckk, l, g.oc, true, false, false);
    col2im(col, dx, s * g.c * g.h * g.w, g);
  }
}

export function conv2dBackwardWeight(
  x: FloatArray,
  dy: FloatArray,
  dw: FloatArray,
  db: FloatArray | null,
  g: Conv2dGeometry,
): void {
  const ckk = g.c * g.kh * g.kw;
  const l = g.oh * g.ow;
  const col = columns(x, g);
  dw.fill(0);
  if (db) db.fill(0);
  for (let s = 0; s < g.n; s++) {
    im2col(x, s * g.c * g.h * g.w, col, g);
    const dys = dy.subarray(s * g.oc * l, (s + 1) * g.oc * l);
    matmul(dys, col, dw, g.oc, ckk, l, false, true, true);
    if (db) {
      for (let o = 0; o < g.oc; o++) {
        let acc = 0;
        for (let i = o * l; i < (o + 1) * l; i++) acc += dys[i];
        db[o] += acc;
      }
    }
  }
}
