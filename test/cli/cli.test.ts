import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { datasets, io, type History } from '../../src/index.js';
import { assertUsageError, torchlit } from '../helpers/cli.js';
import { tempDir, writeIdxDataset } from '../helpers/data.js';

/** A Fashion-MNIST stand-in in the original format (600 training, 100 test images), so no system package is needed. */
const smallFashion = writeIdxDataset(600, 100);

/** The fields of a run's metrics.json and of `predict --json` that the tests read. */
interface Metrics {
  testLoss: number;
  testAccuracy: number;
  correct: number;
}
interface Prediction {
  inverted: boolean;
  prediction: number;
  name: string;
  top: { prob: number }[];
}

/** A PNG of an MNIST test digit, scaled up 3x by pixel replication and drawn black on white. */
function writeDigitPng(path: string, pixels: ArrayLike<number>): void {
  const png = new PNG({ width: 84, height: 84 });
  for (let y = 0; y < 84; y++) {
    for (let x = 0; x < 84; x++) {
      const v = 255 - pixels[Math.floor(y / 3) * 28 + Math.floor(x / 3)];
      png.data.set([v, v, v, 255], (y * 84 + x) * 4);
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

describe('torchlit command', () => {
  const dir = tempDir('torchlit-cli-');

  it('every subcommand has --help', () => {
    for (const cmd of ['train', 'eval', 'predict', 'compare', 'inspect', 'data', 'viz']) {
      const r = torchlit(dir, cmd, '--help');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^usage: torchlit ${cmd}`));
    }
    const r = torchlit(dir, '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /commands:\n {2}train/);
  });

  it('unknown commands, unknown options and bad values get one line and exit code 2', () => {
    assertUsageError(torchlit(dir, 'trian'), /^torchlit: unknown command 'trian'; commands: train, eval/);
    assertUsageError(
      torchlit(dir, 'train', '--bogus'),
      /^torchlit train: unknown option '--bogus' \(see torchlit train --help\)$/,
    );
    assertUsageError(torchlit(dir, 'train', '--epochs=-1'), /--epochs must be an integer >= 0, got '-1'/);
    assertUsageError(torchlit(dir, 'train', '--epochs', '-1'), /--epochs must be an integer >= 0, got '-1'/);
    assertUsageError(torchlit(dir, 'train', '--lr', '-.5'), /--lr must be a number > 0, got '-.5'/);
    assertUsageError(
      torchlit(dir, 'train', '--out', '-x'),
      /--out needs a value, and what follows it looks like an option; write --out=VALUE/,
    );
    assertUsageError(torchlit(dir, 'train', '--epochs', 'two'), /--epochs must be an integer >= 0, got 'two'/);
    assertUsageError(torchlit(dir, 'train', '--lr', '0'), /--lr must be a number > 0, got '0'/);
    assertUsageError(
      torchlit(dir, 'train', '--model', 'resnet'),
      /unknown model 'resnet'; choose one of net, mlp, fmnist-v0, fmnist-v1, tinyvgg, lenet/,
    );
    assertUsageError(
      torchlit(dir, 'train', '--optimizer', 'rmsprop'),
      /--optimizer must be one of sgd, adam, got 'rmsprop'/,
    );
    assertUsageError(
      torchlit(dir, 'train', '--dataset', 'svhn'),
      /--dataset must be one of mnist, fashion-mnist, kmnist, .*imagefolder:DIR; got 'svhn'/,
    );
    assertUsageError(torchlit(dir, 'train', '--epochs'), /option '--epochs <value>' argument missing/);
    assertUsageError(torchlit(dir, 'train', '--resume'), /--resume needs --out DIR/);
    assertUsageError(torchlit(dir, 'data'), /--dataset is required/);
    assertUsageError(torchlit(dir, 'predict', '--run', 'runs/a'), /give one or more image files/);
  });

  it('missing runs and weights are usage errors', () => {
    assertUsageError(torchlit(dir, 'eval', '--run', 'runs/none'), /run directory runs\/none does not exist/);
    assertUsageError(
      torchlit(dir, 'predict', '--run', 'runs/none', 'x.png'),
      /run directory runs\/none does not exist/,
    );
    assertUsageError(
      torchlit(dir, 'train', '--resume', '--out', 'runs/none'),
      /run directory runs\/none does not exist/,
    );
    assertUsageError(torchlit(dir, 'eval', '--weights', 'w.safetensors'), /--weights needs --model NAME/);
    assertUsageError(
      torchlit(dir, 'eval', '--weights', 'w.safetensors', '--model', 'net'),
      /weights file w\.safetensors does not exist/,
    );
    assertUsageError(torchlit(dir, 'eval'), /say which model: --run DIR, or --weights FILE --model NAME/);
  });

  let train: ReturnType<typeof torchlit>;
  describe('with a trained run', () => {
    before(() => {
      train = torchlit(
        dir,
        'train',
        '--model',
        'net',
        '--epochs',
        '1',
        '--train-size',
        '6000',
        '--lr',
        '0.05',
        '--log-interval',
        '10',
        '--out',
        'runs/a',
      );
    });

    it('train prints the tutorial lines and writes the run directory', () => {
      assert.equal(train.code, 0, train.stderr);
      assert.match(
        train.stdout,
        /^Training net on mnist: SGD lr=0\.05 momentum=0\.5, batch 64, 1 epochs, seed 1; 6000 training and 10000 test images -> runs\/a$/m,
      );
      assert.match(train.stdout, /^Train Epoch: 1 \[0\/6000 \(0%\)\]\tLoss: 2\.\d{6}$/m);
      assert.match(train.stdout, /^Train Epoch: 1 \[640\/6000 \(11%\)\]\tLoss: \d\.\d{6}$/m);
      assert.match(train.stdout, /^Test set: Avg\. loss: \d\.\d{4}, Accuracy: \d+\/10000 \(\d+%\)$/m);
      assert.match(train.stdout, /^Train time on cpu: \d+\.\d{3} seconds$/m);
      const run = join(dir, 'runs/a');
      const { tensors, metadata } = io.loadSafetensors(join(run, 'model.safetensors'));
      assert.deepEqual(Object.keys(tensors).sort(), [
        'conv1.bias',
        'conv1.weight',
        'conv2.bias',
        'conv2.weight',
        'fc1.bias',
        'fc1.weight',
        'fc2.bias',
        'fc2.weight',
      ]);
      assert.equal(metadata.format, 'pt');
      const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(
        [config.model, config.dataset, config.batchSize, config.lr, config.momentum, config.seed],
        ['net', 'mnist', 64, 0.05, 0.5, 1],
      );
      const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as History;
      assert.equal(history.trainLosses.length, 10, 'batches 0, 10, ..., 90 of 94');
      assert.deepEqual(history.trainCounter, [0, 640, 1280, 1920, 2560, 3200, 3840, 4480, 5120, 5760]);
      assert.deepEqual(history.testCounter, [0, 6000]);
      assert.equal(history.testLosses.length, 2);
      const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8')) as Metrics;
      assert.ok(metrics.testAccuracy > 70, `accuracy ${metrics.testAccuracy}% after 6000 images`);
    });

    it('never overwrites a run, and a resumed run keeps its settings', () => {
      assertUsageError(
        torchlit(dir, 'train', '--out', 'runs/a'),
        /runs\/a already holds a run; continue it with --resume or choose another --out/,
      );
      assertUsageError(
        torchlit(dir, 'train', '--out', 'runs/a', '--resume', '--lr', '0.1'),
        /runs\/a was trained with lr 0\.05, not 0\.1; a resumed run keeps its settings/,
      );
      assertUsageError(
        torchlit(dir, 'train', '--out', 'runs/a', '--resume', '--model', 'lenet'),
        /runs\/a trained --model net, not lenet/,
      );
    });

    it('eval prints loss, accuracy, per-class accuracy and the confusion matrix', () => {
      const r = torchlit(dir, 'eval', '--run', 'runs/a');
      assert.equal(r.code, 0, r.stderr);
      const metrics = JSON.parse(readFileSync(join(dir, 'runs/a/metrics.json'), 'utf8')) as Metrics;
      assert.match(
        r.stdout,
        new RegExp(`Test set: Avg\\. loss: ${metrics.testLoss.toFixed(4)}, Accuracy: ${metrics.correct}/10000`),
      );
      assert.match(r.stdout, /^ +7 {2}7 - seven +\d+\.\d\d% +\d+\/1028$/m);
      const matrix = r.stdout.slice(r.stdout.indexOf('confusion matrix')).trim().split('\n').slice(3);
      assert.equal(matrix.length, 10);
      const total = matrix.reduce(
        (a, line) =>
          a +
          line
            .trim()
            .split(/\s+/)
            .slice(1)
            .reduce((s, v) => s + Number(v), 0),
        0,
      );
      assert.equal(total, 10000);
      const diagonal = matrix.reduce((a, line, i) => a + Number(line.trim().split(/\s+/)[1 + i]), 0);
      assert.equal(diagonal, metrics.correct);
    });

    it('eval with weights of another model names the file and the keys', () => {
      const r = torchlit(dir, 'eval', '--weights', 'runs/a/model.safetensors', '--model', 'lenet');
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^torchlit eval: runs\/a\/model\.safetensors: Error\(s\) in loading state_dict for Network: Missing key\(s\) in state_dict: "out\.weight", "out\.bias"/,
      );
      assert.match(r.stderr, /the file holds a Net; pick the matching --model/);
    });

    it('predict prepares photos like the dataset: an inverted, enlarged digit gets the same answer', async () => {
      const test = await datasets.MNIST({ train: false });
      const digit = test.data.select(0).values();
      writeDigitPng(join(dir, 'seven.png'), digit);
      const raw = new PNG({ width: 28, height: 28, colorType: 0 });
      for (let i = 0; i < 784; i++) raw.data.set([digit[i], digit[i], digit[i], 255], i * 4);
      writeFileSync(join(dir, 'raw.png'), PNG.sync.write(raw));
      const r = torchlit(dir, 'predict', '--run', 'runs/a', '--json', 'seven.png', 'raw.png');
      assert.equal(r.code, 0, r.stderr);
      const [big, small] = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Prediction);
      assert.equal(big.inverted, true);
      assert.equal(small.inverted, false);
      assert.equal(big.prediction, 7);
      assert.equal(big.name, '7 - seven');
      assert.equal(big.top.length, 3);
      big.top.forEach((t: { prob: number }, i: number) =>
        assert.ok(Math.abs(t.prob - small.top[i].prob) < 1e-5, 'same probabilities'),
      );
      const text = torchlit(dir, 'predict', '--run', 'runs/a', 'seven.png');
      assert.match(text.stdout, /^seven\.png: 7 - seven {2}\(top 3: 7 - seven \d+\.\d\d%, .+; inverted\)$/m);
      assertUsageError(
        torchlit(dir, 'predict', '--run', 'runs/a', 'seven.png', 'eight.png'),
        /image eight\.png does not exist/,
      );
      writeFileSync(join(dir, 'bad.png'), 'not an image');
      const bad = torchlit(dir, 'predict', '--run', 'runs/a', 'bad.png');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /bad\.png: not a PNG or JPEG file/);
    });
  });

  describe('pictures', () => {
    it('train drew samples, curve, predictions and the confusion matrix into the run', () => {
      for (const f of ['samples.png', 'curve.png', 'loss.png', 'predictions.png', 'confusion.png']) {
        const png = PNG.sync.read(readFileSync(join(dir, 'runs/a', f)));
        assert.ok(png.width > 200 && png.height > 200, `${f} is ${png.width}x${png.height}`);
      }
      const svg = readFileSync(join(dir, 'runs/a/curve.svg'), 'utf8');
      assert.match(svg, />number of training examples seen</);
      assert.match(svg, />Test Loss</);
      assert.match(
        train.stdout,
        /runs\/a\/samples\.png, runs\/a\/curve\.png, runs\/a\/curve\.svg, runs\/a\/loss\.png, runs\/a\/predictions\.png, runs\/a\/confusion\.png$/m,
      );
    });

    it('viz draws samples, curves, confusion matrices and feature maps, printing the paths', () => {
      const samples = torchlit(
        dir,
        'viz',
        'samples',
        '--dataset',
        'fashion-mnist',
        '--data',
        smallFashion,
        '--rows',
        '2',
        '--cols',
        '3',
        '--out',
        'fashion.png',
      );
      assert.equal(samples.code, 0, samples.stderr);
      assert.equal(samples.stdout, 'fashion.png\n');
      assert.ok(PNG.sync.read(readFileSync(join(dir, 'fashion.png'))).width > 300);
      const curve = torchlit(dir, 'viz', 'curve', '--run', 'runs/a');
      assert.equal(curve.stdout, 'runs/a/curve.png\nruns/a/curve.svg\n', curve.stderr);
      assert.equal(torchlit(dir, 'viz', 'confusion', '--run', 'runs/a').stdout, 'runs/a/confusion.png\n');
      const photo = { width: 40, height: 30, data: Buffer.alloc(40 * 30 * 4, 90) };
      writeFileSync(join(dir, 'photo.jpg'), jpeg.encode(photo, 90).data);
      const maps = torchlit(dir, 'viz', 'featuremaps', 'photo.jpg', '--out', 'maps.png');
      assert.equal(maps.stdout, 'maps.png\n', maps.stderr);
      const trained = torchlit(dir, 'viz', 'featuremaps', '--run', 'runs/a', '--cmap', 'viridis', '--out', 'net.png');
      assert.equal(trained.stdout, 'net.png\nnet-filters.png\n', trained.stderr);
      assert.ok(PNG.sync.read(readFileSync(join(dir, 'net-filters.png'))).width > 300);
      const all = torchlit(dir, 'viz', 'run', '--run', 'runs/a');
      assert.equal(
        all.stdout,
        ['samples.png', 'curve.png', 'curve.svg', 'loss.png', 'predictions.png', 'confusion.png']
          .map((f) => `runs/a/${f}\n`)
          .join(''),
        all.stderr,
      );
      assertUsageError(
        torchlit(dir, 'viz', 'histogram'),
        /unknown picture 'histogram'; pictures: samples, augment, curve, confusion, featuremaps, run/,
      );
      assertUsageError(torchlit(dir, 'viz', 'featuremaps', 'nope.jpg'), /image nope\.jpg does not exist/);
      assertUsageError(torchlit(dir, 'viz', 'curve', '--run', 'runs/none'), /run directory runs\/none does not exist/);
      assertUsageError(torchlit(dir, 'viz', 'samples'), /--dataset is required/);
    });
  });

  it('compare trains each model and writes the table as CSV and JSON', () => {
    const r = torchlit(
      dir,
      'compare',
      '--models',
      'fmnist-v0,fmnist-v1',
      '--data',
      smallFashion,
      '--epochs',
      '1',
      '--train-size',
      '600',
      '--quiet',
      '--out',
      'cmp',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^model +model_name +model_loss +model_acc +training_time$/m);
    assert.match(r.stdout, /^fmnist-v0 +FashionMNISTModelV0 +\d\.\d{6} +\d+\.\d{4} +\d+\.\d{3}$/m);
    assert.match(r.stdout, /^fmnist-v1 +FashionMNISTModelV1 /m);
    const csv = readFileSync(join(dir, 'cmp/comparison.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'model,model_name,model_loss,model_acc,training_time');
    assert.equal(csv.length, 3);
    const json = JSON.parse(readFileSync(join(dir, 'cmp/comparison.json'), 'utf8')) as { results: { model: string }[] };
    assert.deepEqual(
      json.results.map((x: { model: string }) => x.model),
      ['fmnist-v0', 'fmnist-v1'],
    );
    assert.ok(existsSync(join(dir, 'cmp/fmnist-v1/model.safetensors')));
    assert.match(readFileSync(join(dir, 'cmp/comparison.svg'), 'utf8'), />FashionMNISTModelV1</);
    assert.ok(PNG.sync.read(readFileSync(join(dir, 'cmp/comparison.png'))).width > 600);
    assertUsageError(torchlit(dir, 'compare', '--models', 'net,net'), /lists a model twice/);
  });

  it('inspect shows the printed model, parameters and layer output shapes', () => {
    const r = torchlit(dir, 'inspect', '--model', 'net');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Net\(\n {2}\(conv1\): Conv2d\(1, 10, kernel_size=\(5, 5\), stride=\(1, 1\)\)/);
    assert.match(r.stdout, /^conv2\.weight +\[20, 10, 5, 5\] +5,000 +yes$/m);
    assert.match(r.stdout, /^Total params: 21,840$/m);
    assert.match(r.stdout, /^ {2}conv1 \(Conv2d\) +\[1, 10, 24, 24\] +260$/m);
    assert.match(r.stdout, /^ {2}fc1 \(Linear\) +\[1, 50\] +16,050$/m);
    assert.match(r.stdout, /^Net \(output\) +\[1, 10\] +21,840$/m);
  });

  it('data shows sizes, classes and class counts', () => {
    const r = torchlit(dir, 'data', '--dataset', 'mnist');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^train +60000 +\[1, 28, 28\] +0\.1307 +0\.3081$/m);
    assert.match(r.stdout, /^test +10000 /m);
    assert.match(r.stdout, /^ +0 {2}0 - zero +5923 +980$/m);
  });
});
