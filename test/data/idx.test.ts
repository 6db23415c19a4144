import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { datasets, parseIdx, readIdx } from '../../src/index.js';
import { tempDir, writeIdxSplit } from '../helpers/data.js';

function idx(magic: number, dims: number[], payload: number): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.alloc(payload, 7)]);
}

describe('IDX files', () => {
  it('parses labels and images, raw or gzipped', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'labels'), idx(0x801, [3], 3));
    writeFileSync(join(dir, 'images.gz'), gzipSync(idx(0x803, [2, 2, 3], 12)));
    assert.deepEqual(readIdx(join(dir, 'labels')).shape, [3]);
    const images = readIdx(join(dir, 'images.gz'));
    assert.deepEqual(images.shape, [2, 2, 3]);
    assert.equal(images.data.length, 12);
  });

  it('names the file and the problem for a wrong magic number', () => {
    assert.throws(() => parseIdx(idx(0x12345678, [3], 3), 'x.idx'), /x\.idx: bad magic number 0x12345678/);
    assert.throws(() => parseIdx(idx(0x0a03, [1, 1, 1], 4), 'x.idx'), /x\.idx: bad magic number 0x00000a03/);
  });

  it('reads the wider big-endian types (QMNIST labels are int32)', () => {
    const ints = idx(0x0c02, [2, 2], 16);
    new DataView(ints.buffer, ints.byteOffset).setInt32(20, -5);
    const parsed = parseIdx(ints, 'ints.idx');
    assert.equal(parsed.type, 'int');
    assert.deepEqual([...parsed.data], [0x07070707, 0x07070707, -5, 0x07070707]);
    assert.throws(
      () => parseIdx(idx(0x0d01, [3], 8), 'f.idx'),
      /f\.idx: truncated: .* 12 bytes of data but the file holds 8/,
    );
  });

  it('detects truncated files and trailing bytes', () => {
    assert.throws(
      () => parseIdx(idx(0x803, [10, 28, 28], 7000), 'short.idx'),
      /short\.idx: truncated: the header promises 10x28x28 = 7840 bytes of data but the file holds 7000/,
    );
    assert.throws(
      () => parseIdx(idx(0x803, [10, 28, 28], 0).subarray(0, 10), 'hdr.idx'),
      /hdr\.idx: truncated IDX header/,
    );
    assert.throws(() => parseIdx(new Uint8Array(2), 'tiny.idx'), /tiny\.idx: file is 2 bytes/);
    assert.throws(() => parseIdx(idx(0x801, [3], 5), 'long.idx'), /long\.idx: 2 unexpected bytes/);
  });

  it('reports broken gzip data with the file name', () => {
    const dir = tempDir();
    const gz = gzipSync(idx(0x801, [100], 100));
    writeFileSync(join(dir, 'broken.gz'), gz.subarray(0, gz.length - 20));
    assert.throws(() => readIdx(join(dir, 'broken.gz')), /broken\.gz: broken gzip data/);
  });
});

describe('dataset files that do not fit', () => {
  const testFiles = (dir: string) => writeIdxSplit(dir, 't10k', 10000, true);

  it('image and label files with different counts', async () => {
    const dir = tempDir();
    testFiles(dir);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx(0x801, [9999], 9999).fill(1, 12)));
    await assert.rejects(
      datasets.FashionMNIST({ root: dir, train: false, localCopies: false }),
      /holds 10000 images but .*t10k-labels-idx1-ubyte\.gz holds 9999 labels; the files do not belong together/,
    );
  });

  it('a label file given where images belong', async () => {
    const dir = tempDir();
    testFiles(dir);
    copyFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), join(dir, 't10k-images-idx3-ubyte.gz'));
    await assert.rejects(
      datasets.FashionMNIST({ root: dir, train: false, localCopies: false }),
      /expected an image file of unsigned bytes, N x rows x cols, got ubyte 10000/,
    );
  });

  it('a truncated image file', async () => {
    const dir = tempDir();
    testFiles(dir);
    const raw = readIdx(join(dir, 't10k-images-idx3-ubyte.gz'));
    const header = idx(0x803, raw.shape, 0);
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte.gz'),
      gzipSync(Buffer.concat([header, (raw.data as Uint8Array).subarray(0, 5000)])),
    );
    await assert.rejects(
      datasets.FashionMNIST({ root: dir, train: false, localCopies: false }),
      /t10k-images-idx3-ubyte\.gz: truncated/,
    );
  });

  it('a missing dataset says where it looked and how to get it', async () => {
    const dir = tempDir();
    await assert.rejects(datasets.FashionMNIST({ root: dir, train: false, localCopies: false }), (e: Error) => {
      assert.match(e.message, /FashionMNIST test data not found/);
      assert.ok(e.message.includes(dir));
      assert.match(e.message, /Pass \{ download: true \}/);
      assert.match(e.message, /apt install dataset-fashion-mnist/);
      return true;
    });
  });

  it('files under <root>/<Name>/raw, as torchvision lays them out, are found', async () => {
    const dir = tempDir();
    const raw = join(dir, 'FashionMNIST', 'raw');
    (await import('node:fs')).mkdirSync(raw, { recursive: true });
    testFiles(raw);
    const ds = await datasets.FashionMNIST({ root: dir, train: false, localCopies: false });
    assert.equal(ds.length, 10000);
    assert.ok(readFileSync(join(raw, 't10k-labels-idx1-ubyte.gz')).length > 0);
  });
});
