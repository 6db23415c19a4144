import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { io } from '../../src/index.js';
import { tempDir } from '../helpers/data.js';

const W = 5;
const H = 3;
const pixel = (x: number, y: number) => [x * 50, y * 100, (x + y) * 20, 255 - x * 10];

function pngFile(colorType: 0 | 2 | 6): string {
  const png = new PNG({ width: W, height: H, colorType, inputColorType: 6, inputHasAlpha: true, bitDepth: 8 });
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      // Opaque except for RGBA: pngjs blends alpha into the background when the file has none.
      const p = colorType === 0 ? [x * 50, x * 50, x * 50, 255] : pixel(x, y);
      png.data.set(colorType === 6 ? p : [...p.slice(0, 3), 255], 4 * (y * W + x));
    }
  const path = join(tempDir(), `img${colorType}.png`);
  writeFileSync(path, PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true }));
  return path;
}

describe('io.readImage', () => {
  it('reads an RGB PNG as uint8 [3, H, W] with exact pixels', () => {
    const img = io.readImage(pngFile(2));
    assert.deepEqual(img.shape, [3, H, W]);
    assert.equal(img.dtype, 'uint8');
    assert.deepEqual(
      [0, 1, 2].map((c) => img.select(c).select(2).toArray()[4]),
      pixel(4, 2).slice(0, 3),
    );
  });

  it('keeps alpha for RGBA and one channel for grayscale PNGs; converts on request', () => {
    const rgba = io.readImage(pngFile(6));
    assert.deepEqual(rgba.shape, [4, H, W]);
    assert.equal(rgba.select(3).select(0).toArray()[1], 245);
    const gray = io.readImage(pngFile(0));
    assert.deepEqual(gray.shape, [1, H, W]);
    assert.deepEqual(gray.select(0).select(1).toArray(), [0, 50, 100, 150, 200]);
    assert.deepEqual(io.readImage(pngFile(0), 'rgb').shape, [3, H, W]);
    const luma = io.readImage(pngFile(2), 'gray');
    assert.deepEqual(luma.shape, [1, H, W]);
    const [r, g, b] = pixel(1, 1);
    assert.equal(luma.select(0).select(1).toArray()[1], Math.round(0.299 * r + 0.587 * g + 0.114 * b));
  });

  it('reads a JPEG as [3, H, W] close to the encoded colours', () => {
    const data = Buffer.alloc(16 * 16 * 4);
    for (let i = 0; i < 256; i++) data.set([200, 100, 50, 255], 4 * i);
    const path = join(tempDir(), 'photo.jpg');
    writeFileSync(path, jpeg.encode({ data, width: 16, height: 16 }, 95).data);
    const img = io.readImage(path);
    assert.deepEqual(img.shape, [3, 16, 16]);
    const centre = [0, 1, 2].map((c) => img.select(c).select(8).toArray()[8]);
    centre.forEach((v, i) => assert.ok(Math.abs(v - [200, 100, 50][i]) <= 3, `channel ${i}: ${v}`));
  });

  it('names the file for something that is not an image, or a damaged one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello world');
    assert.throws(
      () => io.readImage(join(dir, 'notes.txt')),
      /notes\.txt: not a PNG or JPEG file \(unrecognised signature 68 65 6c 6c\)/,
    );
    const png = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), {}));
    writeFileSync(join(dir, 'cut.png'), png.subarray(0, 40));
    assert.throws(() => io.readImage(join(dir, 'cut.png')), /cut\.png: corrupt PNG/);
    writeFileSync(join(dir, 'cut.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    assert.throws(() => io.readImage(join(dir, 'cut.jpg')), /cut\.jpg: corrupt JPEG/);
  });
});
