import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { datasets } from '../../src/index.js';
import { idxFile, tempDir, writeIdxSplit, zipArchive } from '../helpers/data.js';
import { fixtureDir } from '../helpers/fixtures.js';

function emnistFiles(
  split: string,
  part: 'train' | 'test',
  count: number,
  classes: number,
): Record<string, Uint8Array> {
  const labels = Uint8Array.from({ length: count }, (_, i) => i % classes);
  const images = Uint8Array.from({ length: count * 784 }, (_, p) => (p * 13) % 256);
  return {
    [`emnist-${split}-${part}-images-idx3-ubyte`]: idxFile(0x803, [count, 28, 28], images),
    [`emnist-${split}-${part}-labels-idx1-ubyte`]: idxFile(0x801, [count], labels),
  };
}

describe('KMNIST, EMNIST and QMNIST', () => {
  it('KMNIST reads the MNIST file names with its own classes', async () => {
    const root = tempDir();
    writeIdxSplit(root, 't10k', 30, true);
    const ds = await datasets.KMNIST({ root, train: false, localCopies: false });
    assert.equal(ds.length, 30);
    assert.equal(ds.name, 'KMNIST');
    assert.deepEqual(ds.classes, ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo']);
    await assert.rejects(datasets.KMNIST({ root, localCopies: false }), /KMNIST training data not found/);
  });

  it("EMNIST's splits have torchvision's class lists and file names", async () => {
    const root = tempDir();
    for (const [split, n] of [
      ['letters', 27],
      ['balanced', 47],
      ['byclass', 62],
    ] as const) {
      for (const [name, body] of Object.entries(emnistFiles(split, 'test', 70, n)))
        writeFileSync(join(root, name), body);
      const ds = await datasets.EMNIST({ root, split, train: false });
      assert.equal(ds.classes.length, n);
      assert.equal(ds.targets.data[n - 1], n - 1);
    }
    const letters = await datasets.EMNIST({ root, split: 'letters', train: false });
    assert.deepEqual(letters.classes.slice(0, 3), ['N/A', 'a', 'b']);
    const balanced = await datasets.EMNIST({ root, split: 'balanced', train: false });
    assert.deepEqual(balanced.classes.slice(9, 12), ['9', 'A', 'B']);
    assert.deepEqual(balanced.classes.slice(36), ['a', 'b', 'd', 'e', 'f', 'g', 'h', 'n', 'q', 'r', 't']);
    await assert.rejects(
      async () => datasets.EMNIST({ root, split: 'bogus' as 'letters' }),
      /Unknown value 'bogus' for argument split. Valid values are \{byclass, bymerge, balanced, letters, digits, mnist\}/,
    );
  });

  it('EMNIST downloads gzip.zip and takes its split out of it', async () => {
    const inner = Object.fromEntries(
      Object.entries(emnistFiles('digits', 'train', 20, 10)).map(([k, v]) => [`gzip/${k}.gz`, gzipSync(v)]),
    );
    const zip = zipArchive(inner);
    const server: Server = createServer((req, res) => res.writeHead(200).end(zip));
    after(() => server.close());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const root = tempDir();
    // The test archive is not the real one, so its md5 fails and nothing is kept...
    await assert.rejects(
      datasets.EMNIST({
        root,
        split: 'digits',
        download: true,
        mirrors: [`http://127.0.0.1:${(server.address() as AddressInfo).port}/`],
      }),
      /could not download gzip\.zip; nothing was kept/,
    );
    // ...and a zip already in place (as a finished download leaves it) is unpacked.
    mkdirSync(join(root, 'EMNIST', 'raw'), { recursive: true });
    writeFileSync(join(root, 'EMNIST', 'raw', 'gzip.zip'), zip);
    const ds = await datasets.EMNIST({ root, split: 'digits', download: true });
    assert.equal(ds.length, 20);
    assert.equal(ds.targets.data[13], 3);
    assert.ok(readFileSync(join(root, 'EMNIST', 'raw', 'emnist-digits-train-labels-idx1-ubyte.gz')).length > 0);
    writeFileSync(join(root, 'EMNIST', 'raw', 'gzip.zip'), zip.subarray(0, 40));
    await assert.rejects(
      datasets.EMNIST({ root, split: 'letters', download: true }),
      /gzip\.zip: not a zip archive, or truncated/,
    );
  });

  it('QMNIST takes the class from its 8-column int32 labels, and splits the test set as torchvision', async () => {
    const root = tempDir();
    const n = 10003;
    const images = Uint8Array.from({ length: n * 4 }, (_, i) => i % 251);
    const rows = new DataView(new ArrayBuffer(n * 8 * 4));
    for (let i = 0; i < n; i++) {
      rows.setInt32(i * 32, i % 10);
      rows.setInt32(i * 32 + 4, 1000 + i);
    }
    writeFileSync(join(root, 'qmnist-test-images-idx3-ubyte.gz'), gzipSync(idxFile(0x803, [n, 2, 2], images)));
    writeFileSync(join(root, 'qmnist-test-labels-idx2-int'), idxFile(0xc02, [n, 8], new Uint8Array(rows.buffer)));
    const test = await datasets.QMNIST({ root, train: false });
    assert.equal(test.length, n);
    assert.deepEqual([...test.targets.data.subarray(0, 4)], [0, 1, 2, 3]);
    const tail = await datasets.QMNIST({ root, what: 'test50k' });
    assert.equal(tail.length, 3);
    assert.deepEqual([...tail.targets.data], [0, 1, 2]);
    assert.deepEqual([...tail.get(0)[0].data], [...images.subarray(40000, 40004)]);
    assert.equal((await datasets.QMNIST({ root, what: 'test10k' })).length, 10000);
    await assert.rejects(async () => datasets.QMNIST({ root, compat: false }), /compat: false .* is not supported/);
    await assert.rejects(
      async () => datasets.QMNIST({ root, what: 'nist', download: true }),
      /not supported: downloading 'nist', which is published as \.xz/,
    );
  });
});

interface FakeFixture {
  kwargs: { size?: number; image_size?: [number, number, number]; num_classes?: number; random_offset?: number };
  samples: { index: number; target: number; shape: number[]; sum: number; head: number[] }[];
}

describe('FakeData', () => {
  const fixture = JSON.parse(readFileSync(join(fixtureDir, 'datasets.json'), 'utf8')) as {
    fake_data: Record<string, FakeFixture>;
  };
  for (const [name, { kwargs, samples }] of Object.entries(fixture.fake_data)) {
    it(`${name}: the images and labels torchvision's FakeData gives`, () => {
      const ds = new datasets.FakeData({
        size: kwargs.size,
        imageSize: kwargs.image_size,
        numClasses: kwargs.num_classes,
        randomOffset: kwargs.random_offset,
      });
      for (const s of samples) {
        const [image, target] = ds.get(s.index);
        assert.equal(target, s.target);
        assert.deepEqual(image.shape, s.shape);
        // PyTorch 1.13's AVX2 randn computes log, cos and sin with Sleef's float approximations;
        // ours are within one ulp of them, so a pixel in ~10^5 truncates to the next level.
        const head = image.toArray().slice(0, 64);
        assert.ok(
          head.every((v, i) => Math.abs(v - s.head[i]) <= 1),
          `${head} vs ${s.head}`,
        );
        assert.ok(head.filter((v, i) => v !== s.head[i]).length <= 1);
        assert.ok(Math.abs(image.toArray().reduce((a, b) => a + b, 0) - s.sum) <= 4);
      }
    });
  }

  it('refuses sizes that make no image', () => {
    assert.throws(() => new datasets.FakeData({ imageSize: [2, 4, 4] }), /not supported: 2 channels/);
    assert.throws(() => new datasets.FakeData({ size: -1 }), /size must be a non-negative integer/);
  });
});
