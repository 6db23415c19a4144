// imageFolderFromFiles in Node (a decoder given: Node has no createImageBitmap): the classes,
// order and images of ImageFolder over the same folder, and its errors. The browser's own decoder
// is tested in test/browser.test.ts.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { datasets, io, transforms } from '../../src/index.js';
import { fixtureDir } from '../helpers/fixtures.js';

const folder = join(fixtureDir, 'datasets', 'image_folder');

/** Every file under `dir` as [path under it, Blob], in no particular order. */
function pairs(dir: string, under = ''): [string, Blob][] {
  return readdirSync(join(dir, under))
    .reverse()
    .flatMap((name) => {
      const rel = under ? `${under}/${name}` : name;
      return statSync(join(dir, rel)).isDirectory()
        ? pairs(dir, rel)
        : [[rel, new Blob([readFileSync(join(dir, rel))])]];
    });
}
const decode = async (blob: Blob, path: string) =>
  io.decodeImage(new Uint8Array(await blob.arrayBuffer()), 'rgb', path);

describe('imageFolderFromFiles', () => {
  it('reads the classes, samples and images ImageFolder reads from the same folder', async () => {
    const want = new datasets.ImageFolder(folder);
    const got = await datasets.imageFolderFromFiles(pairs(folder), { decode, transform: new transforms.ToTensor() });
    assert.deepEqual(got.classes, want.classes);
    assert.deepEqual(got.classToIdx, want.classToIdx);
    assert.deepEqual(
      got.samples,
      want.samples.map(([p, t]) => [relative(folder, p), t]),
    );
    assert.deepEqual(got.targets, want.targets);
    for (let i = 0; i < want.length; i++) {
      assert.deepEqual(got.image(i).toArray(), want.image(i).toArray());
      assert.deepEqual(got.get(i)[0].toArray(), new transforms.ToTensor().apply(want.image(i)).toArray());
    }
  });

  it('takes the folder from a picked File’s webkitRelativePath', async () => {
    const files = pairs(folder).map(([p, blob]) => Object.assign(blob, { name: p, webkitRelativePath: `photos/${p}` }));
    const got = await datasets.imageFolderFromFiles(files, { decode });
    assert.deepEqual(got.classes, new datasets.ImageFolder(folder).classes);
  });

  it('names what is wrong: files without a folder, no class folder, an empty class, too many, no decoder', async () => {
    const png = new Blob([readFileSync(join(folder, 'B', 'z.png'))]);
    await assert.rejects(
      datasets.imageFolderFromFiles([Object.assign(png, { name: 'z.png', webkitRelativePath: '' })], { decode }),
      /z\.png has no folder: pick a folder \(<input type="file" webkitdirectory>\)/,
    );
    await assert.rejects(
      datasets.imageFolderFromFiles([['z.png', png]], { decode }),
      /no class folder among the files/,
    );
    await assert.rejects(
      datasets.imageFolderFromFiles(
        [
          ['cat/z.png', png],
          ['dog/notes.txt', png],
        ],
        { decode },
      ),
      /Found no valid file for the classes dog\. Supported extensions are: \.jpg/,
    );
    await assert.rejects(
      datasets.imageFolderFromFiles(pairs(folder), { decode, maxImages: 3 }),
      /5 images, more than maxImages 3/,
    );
    await assert.rejects(
      datasets.imageFolderFromFiles([['cat/z.png', png]]),
      /no image decoder here \(cat\/z\.png\); pass decode/,
    );
    await assert.rejects(
      datasets.imageFolderFromFiles([['cat/z.png', new Blob([new Uint8Array(10)])]], { decode }),
      /cat\/z\.png/,
    );
  });
});
