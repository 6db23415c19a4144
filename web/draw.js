// A drawing as MNIST draws its digits: the strokes' bounding box scaled to fit 20 x 20 pixels,
// placed in 28 x 28 with its centre of mass in the middle (LeCun's preprocessing).

/** Gray levels in [0, 1] of an RGBA canvas image (white strokes on black). */
export function grayOf(imageData) {
  const { data, width, height } = imageData;
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = data[4 * i] / 255;
  return gray;
}

/** Area-averages a [h, w] image to [outH, outW]. */
function resize(src, h, w, outH, outW) {
  const out = new Float32Array(outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++) {
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(oy * sy); y < Math.min(h, Math.ceil((oy + 1) * sy)); y++) {
        const wy = Math.min(y + 1, (oy + 1) * sy) - Math.max(y, oy * sy);
        for (let x = Math.floor(ox * sx); x < Math.min(w, Math.ceil((ox + 1) * sx)); x++) {
          const wx = Math.min(x + 1, (ox + 1) * sx) - Math.max(x, ox * sx);
          sum += src[y * w + x] * wy * wx;
          area += wy * wx;
        }
      }
      out[oy * outW + ox] = area > 0 ? sum / area : 0;
    }
  return out;
}

/** The drawing as a 28 x 28 digit in [0, 1], or null when nothing is drawn. */
export function centerDigit(gray, width, height) {
  let [top, left, bottom, right] = [height, width, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (gray[y * width + x] > 0.1) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
  if (bottom < 0) return null;
  const [bh, bw] = [bottom - top + 1, right - left + 1];
  const crop = new Float32Array(bh * bw);
  for (let y = 0; y < bh; y++) crop.set(gray.subarray((top + y) * width + left, (top + y) * width + left + bw), y * bw);
  const scale = 20 / Math.max(bh, bw);
  const [th, tw] = [Math.max(1, Math.round(bh * scale)), Math.max(1, Math.round(bw * scale))];
  const small = resize(crop, bh, bw, th, tw);
  let [mass, my, mx] = [0, 0, 0];
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      my += v * y;
      mx += v * x;
    }
  const clamp = (v, size) => Math.min(28 - size, Math.max(0, v));
  const oy = clamp(Math.round(14 - (mass > 0 ? my / mass : th / 2) - 0.5), th);
  const ox = clamp(Math.round(14 - (mass > 0 ? mx / mass : tw / 2) - 0.5), tw);
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < th; y++) out.set(small.subarray(y * tw, (y + 1) * tw), (oy + y) * 28 + ox);
  return out;
}
