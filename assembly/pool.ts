// Max pooling over [planes, h, w]; argmax holds each output's index within its input plane.

export function maxPoolForward(x: usize, out: usize, argmax: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  let o = out;
  let a = argmax;
  for (let p = 0; p < planes; p++) {
    const plane = x + (<usize>(p * h * w) << 2);
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
            const v = load<f32>(plane + (<usize>idx << 2));
            if (v > best || v != v) {
              best = v;
              bestIdx = idx;
              if (v != v) {
                yy = y1;
                break;
              }
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
  memory.fill(dx, 0, <usize>(planes * planeIn) << 2);
  for (let p = 0; p < planes; p++) {
    const base = dx + (<usize>(p * planeIn) << 2);
    for (let i = p * planeOut; i < (p + 1) * planeOut; i++) {
      const q = base + (<usize>load<i32>(argmax + (<usize>i << 2)) << 2);
      store<f32>(q, load<f32>(q) + load<f32>(dy + (<usize>i << 2)));
    }
  }
}
