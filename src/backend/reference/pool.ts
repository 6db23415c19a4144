import type { Conv2dGeometry, FloatArray } from '../types.js';

export function maxPool2dForward(x: FloatArray, out: FloatArray, argmax: Int32Array, g: Conv2dGeometry): void {
  const { h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const planes = g.n * g.c;
  for (let p = 0; p < planes; p++) {
    const xin = p * h * w;
    const o = p * oh * ow;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(0, oy * sh - ph),
        y1 = Math.min(h, oy * sh - ph + kh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = Math.max(0, ox * sw - pw),
          x1 = Math.min(w, ox * sw - pw + kw);
        let best = -Infinity;
        let bestIdx = y0 * w + x0;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const v = x[xin + y * w + xx];
            // As PyTorch: a NaN always takes the place, so the window's last NaN wins.
            if (v > best || v !== v) {
              best = v;
              bestIdx = y * w + xx;
            }
          }
        }
        out[o + oy * ow + ox] = best;
        argmax[o + oy * ow + ox] = bestIdx;
      }
    }
  }
}

export function maxPool2dBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, g: Conv2dGeometry): void {
  const planeIn = g.h * g.w;
  const planeOut = g.oh * g.ow;
  dx.fill(0);
  for (let p = 0; p < g.n * g.c; p++) {
    const base = p * planeIn;
    for (let i = p * planeOut; i < (p + 1) * planeOut; i++) dx[base + argmax[i]] += dy[i];
  }
}
