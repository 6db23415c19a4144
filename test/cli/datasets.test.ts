import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { datasets } from '../../src/index.js';
import { torchlit } from '../helpers/cli.js';
import { tempDir, writeIdxSplit } from '../helpers/data.js';
import { fixtureDir } from '../helpers/fixtures.js';

/** A folder of 12 x 10 PNGs per class: bright ones and dark ones, in train and val. */
function writeImageFolder(root: string): void {
  for (const [split, count] of [
    ['train', 8],
    ['val', 2],
  ] as const) {
    for (const [cls, level] of [
      ['bright', 220],
      ['dark', 30],
    ] as const) {
      mkdirSync(join(root, split, cls), { recursive: true });
      for (let i = 0; i < count; i++) {
        const png = new PNG({ width: 12, height: 10 });
        for (let p = 0; p < 120; p++) png.data.set([level, (level + i * 7) % 256, level, 255], p * 4);
        writeFileSync(join(root, split, cls, `${i}.png`), PNG.sync.write(png));
      }
    }
  }
}

describe('torchlit on the datasets beyond MNIST', () => {
  const dir = tempDir('torchlit-cli-data-');
  const trainOnFolder = (out: string, ...more: string[]) =>
    torchlit(
      dir,
      'train',
      '--model',
      'resnet8',
      '--dataset',
      'imagefolder:photos',
      '--image-size',
      '8',
      '--epochs',
      '1',
      '--batch-size',
      '4',
      '--augment',
      '--out',
      out,
      ...more,
    );
  cpSync(join(fixtureDir, 'datasets', 'cifar-10-batches-py'), join(dir, 'data', 'cifar-10-batches-py'), {
    recursive: true,
  });
  writeImageFolder(join(dir, 'photos'));

  it('trains bn-cnn on CIFAR-10 with --augment, and refuses a model made for 28 x 28 digits', () => {
    const r = torchlit(
      dir,
      'train',
      '--model',
      'bn-cnn',
      '--dataset',
      'cifar10',
      '--augment',
      '--epochs',
      '1',
      '--batch-size',
      '4',
      '--out',
      'runs/c',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Training bn-cnn on cifar10: .* 10 training and 1 test images/);
    const cfg = JSON.parse(readFileSync(join(dir, 'runs/c/config.json'), 'utf8')) as {
      augment: boolean;
      dataset: string;
    };
    assert.equal(cfg.augment, true);
    assert.equal(torchlit(dir, 'eval', '--run', 'runs/c').code, 0);
    const net = torchlit(dir, 'train', '--model', 'net', '--dataset', 'cifar10');
    assert.equal(net.code, 2);
    assert.match(
      net.stderr,
      /model net takes 1 x 28 x 28 images in 10 classes; cifar10 has 3 x 32 x 32 images in 10 classes/,
    );
    const predict = torchlit(dir, 'predict', '--run', 'runs/c', 'x.png');
    assert.match(predict.stderr, /predict: not supported: a model trained on cifar10/);
  });

  it('trains resnet8 on a folder of images (imagefolder:DIR, train and val), resized by --image-size', () => {
    const r = trainOnFolder('runs/f');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /16 training and 4 test images/);
    const metrics = JSON.parse(readFileSync(join(dir, 'runs/f/metrics.json'), 'utf8')) as { classes: string[] };
    assert.deepEqual(metrics.classes, ['bright', 'dark']);
    const threaded = trainOnFolder('runs/g', '--num-workers', '2');
    assert.equal(threaded.code, 0, threaded.stderr);
    assert.deepEqual(
      readFileSync(join(dir, 'runs/g/model.safetensors')),
      readFileSync(join(dir, 'runs/f/model.safetensors')),
      'workers train to the same weights',
    );
  });

  it('data prints per-channel statistics of any dataset, and viz draws its samples and augmentations', async () => {
    const r = torchlit(dir, 'data', '--dataset', 'cifar10');
    assert.equal(r.code, 0, r.stderr);
    const cifar = await datasets.CIFAR10({ root: join(dir, 'data') });
    const pixels = cifar.data.toArray();
    const red = pixels.filter((_, i) => Math.floor(i / 1024) % 3 === 0);
    const mean = red.reduce((a, b) => a + b / 255, 0) / red.length;
    assert.match(r.stdout, new RegExp(`train +10 +\\[3, 32, 32\\] +${mean.toFixed(4)}, `));
    assert.match(r.stdout, /^ +9 +truck +\d+ +\d+$/m);
    const folder = torchlit(dir, 'data', '--dataset', 'imagefolder:photos');
    assert.match(folder.stdout, /train +16 +\[3, 10, 12\] +0\.\d+, /);
    for (const [picture, dataset] of [
      ['samples', 'imagefolder:photos'],
      ['augment', 'cifar10'],
      ['augment', 'imagefolder:photos'],
    ]) {
      const out = `${picture}-${dataset.replace(':', '-')}.png`;
      const v = torchlit(dir, 'viz', picture, '--dataset', dataset, '--rows', '2', '--cols', '2', '--out', out);
      assert.equal(v.stdout, `${out}\n`, v.stderr);
      assert.ok(PNG.sync.read(readFileSync(join(dir, out))).width > 100);
    }
  });

  it('KMNIST and EMNIST files are found by name, and a missing one says how to get it', () => {
    const root = join(dir, 'kmnist');
    mkdirSync(root);
    writeIdxSplit(root, 'train', 20);
    writeIdxSplit(root, 't10k', 10);
    const r = torchlit(dir, 'data', '--dataset', 'kmnist', '--data', 'kmnist');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ +0 +o +2 +1$/m);
    const missing = torchlit(dir, 'data', '--dataset', 'emnist-letters', '--data', 'nowhere');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /EMNIST/);
  });
});
