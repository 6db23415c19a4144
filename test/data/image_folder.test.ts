import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { DataLoader, datasets, transforms } from '../../src/index.js';
import { tempDir } from '../helpers/data.js';
import { fixtureDir } from '../helpers/fixtures.js';

interface FolderFixture {
  classes: string[];
  class_to_idx: Record<string, number>;
  samples: [string, number][];
  images: number[][];
}
/** What torchvision's ImageFolder read from test/fixtures/datasets/image_folder (scripts/make_dataset_fixtures.py). */
const fixture = (JSON.parse(readFileSync(join(fixtureDir, 'datasets.json'), 'utf8')) as { image_folder: FolderFixture })
  .image_folder;
const folder = join(fixtureDir, 'datasets', 'image_folder');

function copy(): string {
  const root = join(tempDir(), 'images');
  cpSync(folder, root, { recursive: true });
  return root;
}

describe('ImageFolder', () => {
  it("finds torchvision's classes and samples, in its order", () => {
    const ds = new datasets.ImageFolder(folder);
    assert.deepEqual(ds.classes, fixture.classes);
    assert.deepEqual(ds.classToIdx, fixture.class_to_idx);
    assert.deepEqual(
      ds.samples.map(([p, t]) => [relative(folder, p), t]),
      fixture.samples,
    );
    assert.deepEqual(
      ds.targets,
      fixture.samples.map(([, t]) => t),
    );
  });

  it("decodes PNGs (RGB, gray, palette, RGBA) exactly as PIL's RGB, and the JPEG within 2 levels", () => {
    const ds = new datasets.ImageFolder(folder);
    ds.samples.forEach(([path], i) => {
      const [image] = ds.get(i);
      assert.deepEqual(image.shape, [3, 5, 7]);
      const want = fixture.images[i];
      if (path.endsWith('.jpg')) {
        const worst = Math.max(...image.toArray().map((v, k) => Math.abs(v - want[k])));
        assert.ok(worst <= 2, `JPEG differs from PIL by ${worst} levels`);
      } else assert.deepEqual(image.toArray(), want, path);
    });
  });

  it('batches through transforms, and names an image that does not decode', () => {
    const root = copy();
    const ds = new datasets.ImageFolder(root, { transform: new transforms.ToTensor() });
    const [x, y] = [...new DataLoader(ds, { batchSize: 5 })][0];
    assert.deepEqual(x.shape, [5, 3, 5, 7]);
    assert.deepEqual(y.toArray(), ds.targets);
    writeFileSync(join(root, 'a', 'x', '2.png'), readFileSync(join(root, 'a', 'x', '2.png')).subarray(0, 60));
    assert.throws(() => ds.get(2), /a\/x\/2\.png: corrupt PNG/);
    writeFileSync(join(root, 'a', '0.PNG'), 'GIF89a');
    assert.throws(() => ds.get(1), /a\/0\.PNG: not a PNG or JPEG file/);
  });

  it('refuses an empty class, a folder without classes, and image types it cannot decode', () => {
    const root = copy();
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'empty', 'readme.md'), '');
    assert.throws(
      () => new datasets.ImageFolder(root),
      /Found no valid file for the classes empty\. Supported extensions are: \.jpg, \.jpeg, \.png/,
    );
    const only = new datasets.ImageFolder(root, { isValidFile: (p) => /\.(png|jpg|md)$/i.test(p) });
    assert.equal(only.samples.at(-1)![0], join(root, 'empty', 'readme.md'));
    writeFileSync(join(root, 'empty', 'scan.BMP'), 'BM');
    assert.throws(
      () => new datasets.ImageFolder(root),
      /not supported: \.BMP images such as .*scan\.BMP; torchlit decodes PNG and JPEG/,
    );
    const flat = tempDir();
    writeFileSync(join(flat, 'a.png'), '');
    assert.throws(() => new datasets.ImageFolder(flat), /Couldn't find any class folder in /);
    assert.throws(() => new datasets.ImageFolder(join(flat, 'nope')), /nope is not a folder/);
  });

  it('follows a link to a folder once, never round a loop', () => {
    const root = copy();
    symlinkSync(join(root, 'a'), join(root, 'a', 'x', 'loop'));
    const ds = new datasets.ImageFolder(root);
    assert.equal(ds.length, fixture.samples.length);
  });
});
