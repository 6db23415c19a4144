import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { manualSeed, nn, tensor, Tensor, viz } from '../../src/index.js';
import { tempDir } from '../helpers/data.js';

function decode(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return [...png.data.subarray(i, i + 4)];
}

/** The texts of an SVG, in document order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** Number of elements (e.g. `<path`) inside the vega mark group whose class contains `mark`. */
function marksIn(svg: string, mark: string, element: string): number {
  const start = svg.indexOf(`<g class="${mark}`);
  assert.ok(start >= 0, `no ${mark} group`);
  const end = svg.indexOf('</g>', start);
  return svg.slice(start, end).split(`<${element}`).length - 1;
}

describe('makeGrid and saveImage', () => {
  const batch = Tensor.empty([3, 1, 2, 2], 'uint8');
  batch.data.set([10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33]);

  it("lays images out as torchvision's make_grid", () => {
    const grid = viz.makeGrid(batch, { nrow: 2, padding: 1, padValue: 255 });
    assert.deepEqual(grid.shape, [3, 7, 7]);
    const at = (c: number, y: number, x: number) => grid.data[c * 49 + y * 7 + x];
    assert.equal(at(0, 0, 0), 255, 'padding around');
    assert.equal(at(1, 3, 3), 255, 'padding between');
    assert.deepEqual([at(0, 1, 1), at(0, 1, 2), at(0, 2, 1), at(0, 2, 2)], [10, 11, 12, 13]);
    assert.deepEqual([at(2, 1, 4), at(2, 2, 5)], [20, 23], 'second image, one channel repeated');
    assert.deepEqual([at(1, 4, 1), at(1, 5, 2)], [30, 33], 'third image starts the second row');
    assert.equal(at(0, 4, 4), 255, 'the empty cell stays padding');
  });

  it('returns a single image without padding, as three channels', () => {
    const one = viz.makeGrid(tensor([[[0.25, 0.5]]]), { padding: 4 });
    assert.deepEqual(one.shape, [3, 1, 2]);
    assert.deepEqual(one.toArray(), [0.25, 0.5, 0.25, 0.5, 0.25, 0.5]);
  });

  it('normalizes to [0, 1] over the batch or each image', () => {
    const x = tensor([[[[0, 2]]], [[[4, 8]]]]);
    assert.deepEqual(viz.makeGrid(x, { padding: 0, normalize: true }).toArray().slice(0, 4), [0, 0.25, 0.5, 1]);
    assert.deepEqual(
      viz.makeGrid(x, { padding: 0, normalize: true, scaleEach: true }).toArray().slice(0, 4),
      [0, 1, 0, 1],
    );
  });

  it('rejects what is not an image batch', () => {
    assert.throws(() => viz.makeGrid(Tensor.empty([2, 4, 3, 3])), /makeGrid expects 1 or 3 channels, got 4/);
    assert.throws(() => viz.makeGrid(batch, { nrow: 0 }), /nrow must be a positive integer/);
  });

  it('saveImage writes the pixels: uint8 copied, floats scaled as save_image', () => {
    const dir = tempDir();
    viz.saveImage(batch, join(dir, 'grid.png'), { nrow: 3, padding: 2 });
    const png = decode(join(dir, 'grid.png'));
    assert.deepEqual([png.width, png.height], [3 * 4 + 2, 6]);
    assert.deepEqual(pixel(png, 0, 0), [0, 0, 0, 255]);
    assert.deepEqual(pixel(png, 2, 2), [10, 10, 10, 255]);
    assert.deepEqual(pixel(png, 11, 3), [33, 33, 33, 255]);
    assert.deepEqual(pixel(png, 9, 3), [0, 0, 0, 255], 'padding');
    viz.saveImage(tensor([[[0, 0.5, 1, 2]], [[0.2, 0.2, 0.2, 0.2]], [[-1, 0.001, 0.999, 1]]]), join(dir, 'rgb.png'));
    const rgb = decode(join(dir, 'rgb.png'));
    assert.deepEqual([rgb.width, rgb.height], [4, 1]);
    assert.deepEqual(
      [0, 1, 2, 3].map((x) => pixel(rgb, x, 0).slice(0, 3)),
      [
        [0, 51, 0],
        [128, 51, 0],
        [255, 51, 255],
        [255, 51, 255],
      ],
    );
  });
});

describe('pictures', () => {
  it('titled grids: titles in the SVG, images drawn pixel-exact in the PNG', async () => {
    const checker = Tensor.empty([1, 2, 2], 'uint8');
    checker.data.set([0, 255, 255, 0]);
    const fig = viz.imageGrid(
      [
        { image: checker, title: 'Ground Truth: 7' },
        { image: checker, title: 'Prediction: 1', color: 'red' },
      ],
      { rows: 1, cols: 2, size: 112 },
    );
    assert.deepEqual(texts(fig.svg), ['Ground Truth: 7', 'Prediction: 1']);
    assert.match(fig.svg, /fill="red">Prediction: 1</);
    const dir = tempDir();
    await viz.saveFigure(fig, join(dir, 'grid.png'));
    await viz.saveFigure(fig, join(dir, 'grid.svg'));
    assert.equal(readFileSync(join(dir, 'grid.svg'), 'utf8'), fig.svg);
    const png = decode(join(dir, 'grid.png'));
    const [w, h] = [Number(/width="(\d+)"/.exec(fig.svg)![1]), Number(/height="(\d+)"/.exec(fig.svg)![1])];
    assert.deepEqual([png.width, png.height], [w, h]);
    let black = 0;
    let white = 0;
    const x = Number(/<image x="([\d.]+)"/.exec(fig.svg)![1]);
    const y = Number(/<image x="[\d.]+" y="([\d.]+)"/.exec(fig.svg)![1]);
    for (let dy = 0; dy < 55; dy++) {
      for (let dx = 0; dx < 55; dx++) {
        if (
          pixel(png, Math.ceil(x) + dx, Math.ceil(y) + dy)
            .slice(0, 3)
            .every((v) => v === 0)
        )
          black++;
        if (
          pixel(png, Math.ceil(x) + 56 + dx, Math.ceil(y) + dy)
            .slice(0, 3)
            .every((v) => v === 255)
        )
          white++;
      }
    }
    assert.equal(
      black,
      55 * 55,
      'the top-left quarter of the first image is its black pixel, scaled without smoothing',
    );
    assert.equal(white, 55 * 55, 'the top-right quarter is its white pixel');
    await assert.rejects(
      viz.saveFigure(fig, join(dir, 'grid.gif')),
      /cannot save a figure as '\.gif': use \.png or \.svg/,
    );
  });

  it("the training curve has the tutorial's axes, legend and points", async () => {
    const history = {
      trainCounter: [0, 640, 1280, 1920],
      trainLosses: [2.3, 1.2, 0.8, 0.6],
      testCounter: [0, 2000, 4000],
      testLosses: [2.3, 0.5, 0.3],
    };
    const fig = await viz.trainingCurve(history, 'net on mnist');
    const t = texts(fig.svg);
    for (const s of [
      'net on mnist',
      'number of training examples seen',
      'negative log likelihood loss',
      'Train Loss',
      'Test Loss',
    ])
      assert.ok(t.includes(s), s);
    assert.equal(marksIn(fig.svg, 'mark-symbol role-mark layer_1', 'path'), 3, 'one red point per test');
    assert.match(fig.svg, /fill="red"/);
    const dir = tempDir();
    const png = decode(await viz.saveFigure(fig, join(dir, 'curve.png')));
    assert.ok(png.width > 1000 && png.height > 600, `drawn at twice the SVG size: ${png.width}x${png.height}`);
    assert.ok(!t.includes('learning rate'), 'no learning-rate panel without learning rates');
  });

  it('a scheduled learning rate is drawn under the loss; a constant one is not', async () => {
    const history = {
      trainCounter: [0, 640, 1280, 1920],
      trainLosses: [2.3, 1.2, 0.8, 0.6],
      testCounter: [0, 2000],
      testLosses: [2.3, 0.5],
    };
    const scheduled = await viz.trainingCurve({ ...history, learningRates: [0.004, 0.1, 0.05, 0.001] });
    assert.ok(texts(scheduled.svg).includes('learning rate'));
    const line = marksIn(scheduled.svg, 'mark-line role-mark concat_1_marks', 'path');
    assert.equal(line, 1, 'one learning-rate line');
    const constant = await viz.trainingCurve({ ...history, learningRates: [0.01, 0.01, 0.01, 0.01] });
    assert.ok(!texts(constant.svg).includes('learning rate'));
  });

  it('loss per epoch, the comparison and the confusion matrix name what they show', async () => {
    const epochs = await viz.lossPerEpoch([0.6, 0.45, 0.41], [0.5, 0.44, 0.43]);
    assert.ok(
      texts(epochs.svg).includes('epoch') && texts(epochs.svg).includes('train') && texts(epochs.svg).includes('test'),
    );
    const cmp = await viz.comparisonChart([
      { modelName: 'FashionMNISTModelV0', accuracy: 83.3, trainTimeS: 1.04 },
      { modelName: 'FashionMNISTModelV2', accuracy: 88.31, trainTimeS: 51.1 },
    ]);
    const ct = texts(cmp.svg);
    for (const s of [
      'FashionMNISTModelV0',
      'FashionMNISTModelV2',
      'accuracy (%)',
      'training time (seconds)',
      '88.31',
      '51.1',
    ])
      assert.ok(ct.includes(s), s);
    assert.equal(
      marksIn(cmp.svg, 'mark-symbol role-mark concat_1_layer_0_marks', 'path'),
      2,
      'accuracy against time: a point per model',
    );
    assert.equal(ct.filter((x) => x === 'FashionMNISTModelV2').length, 2, 'named on its bar and its point');
    const conf = await viz.confusionMatrixChart(
      [
        [5, 1],
        [2, 7],
      ],
      ['Bag', 'Coat'],
    );
    const cf = texts(conf.svg);
    for (const s of ['Bag', 'Coat', 'true label', 'predicted label', '5', '1', '2', '7']) assert.ok(cf.includes(s), s);
    assert.equal(marksIn(conf.svg, 'mark-rect role-mark layer_0', 'path'), 4);
  });

  it('feature maps show the input and every output channel; filters one image each', () => {
    manualSeed(0);
    const conv = new nn.Conv2d(3, 4, 3);
    const photo = Tensor.empty([3, 10, 12], 'uint8');
    photo.data.fill(100);
    const fig = viz.featureMaps(photo, conv);
    assert.equal(fig.svg.split('<image').length - 1, 5);
    assert.deepEqual(texts(fig.svg).slice(1), ['input 12x10', 'channel 0', 'channel 1', 'channel 2', 'channel 3']);
    assert.throws(
      () => viz.featureMaps(Tensor.empty([1, 10, 12], 'uint8'), conv),
      /the image has 1 channels but the convolution expects 3; read it as 'rgb'/,
    );
    const filters = viz.filtersFigure(conv);
    assert.equal(filters.svg.split('<image').length - 1, 4);
    assert.throws(
      () => viz.firstConv(new nn.Sequential(new nn.Linear(2, 2))),
      /Sequential has no Conv2d layer to show/,
    );
  });
});
