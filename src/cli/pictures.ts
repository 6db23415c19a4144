// The pictures a run directory gets: samples, training curve, predictions, confusion matrix.
import { join } from 'node:path';
import { noGrad } from '../autograd/grad_mode.js';
import type { Module } from '../nn/module.js';
import { randperm } from '../tensor/creation.js';
import { Generator } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import type { History } from '../train/history.js';
import { confusionMatrixChart, lossPerEpoch, trainingCurve } from '../viz/charts.js';
import { saveFigure } from '../viz/figure.js';
import { imageGrid, type TitledImage } from '../viz/image_grid.js';
import type { ImageDataset } from '../run/datasets.js';
import { stack } from '../autograd/ops/join.js';

/** `7` for MNIST's '7 - seven', the class name itself otherwise. */
export function shortLabel(classes: string[], c: number): string {
  return /^\d - /.test(classes[c]) ? classes[c].slice(0, classes[c].indexOf(' ')) : classes[c];
}

/** The raw images (uint8, as the dataset stores them) of `indices`. */
function rawImages(ds: ImageDataset, indices: number[]): Tensor[] {
  return indices.map((i) => ds.image(i));
}

/** A rows x cols grid of random images of `ds` titled with their classes (its own generator: training's stays untouched). */
export async function drawSamples(
  ds: ImageDataset,
  path: string,
  opts: { rows?: number; cols?: number; seed?: number; title?: string } = {},
): Promise<string> {
  const rows = opts.rows ?? 4;
  const cols = opts.cols ?? 4;
  const order = randperm(ds.length, { generator: new Generator(opts.seed ?? 42) })
    .toArray()
    .slice(0, rows * cols);
  const targets = ds.labels();
  const items = rawImages(ds, order).map((image, k) => ({ image, title: ds.classes[targets[order[k]]] }));
  return saveFigure(imageGrid(items, { rows, cols, title: opts.title }), path);
}

/** The first six test images with the model's predictions: green when right, red when wrong. */
export async function drawPredictions(model: Module, test: ImageDataset, path: string): Promise<string> {
  const indices = [0, 1, 2, 3, 4, 5].filter((i) => i < test.length);
  const samples = indices.map((i) => test.get(i));
  const x = stack(samples.map(([image]) => image));
  const pred = noGrad(() => model.eval().forward(x))
    .argmax(1)
    .toArray();
  const truth = samples.map(([, label]) => label);
  const items: TitledImage[] = rawImages(test, indices).map((image, k) => ({
    image,
    title: `Prediction: ${shortLabel(test.classes, pred[k])}${pred[k] === truth[k] ? '' : ` (truth: ${shortLabel(test.classes, truth[k])})`}`,
    color: pred[k] === truth[k] ? 'green' : 'red',
  }));
  return saveFigure(imageGrid(items, { rows: 2, cols: 3 }), path);
}

/** curve.png and curve.svg from a run's history. */
export async function drawCurve(history: History, dir: string, title?: string): Promise<string[]> {
  const figure = await trainingCurve(history, title);
  return [await saveFigure(figure, join(dir, 'curve.png')), await saveFigure(figure, join(dir, 'curve.svg'))];
}

/** loss.png: mean train loss and test loss per epoch (the test before training left out). */
export async function drawLossPerEpoch(history: History, dir: string, title?: string): Promise<string> {
  const test = history.testCounter[0] === 0 ? history.testLosses.slice(1) : history.testLosses;
  return saveFigure(await lossPerEpoch(history.epochTrainLosses ?? [], test, title), join(dir, 'loss.png'));
}

export async function drawConfusion(
  confusion: number[][],
  classes: string[],
  path: string,
  title?: string,
): Promise<string> {
  return saveFigure(await confusionMatrixChart(confusion, classes, title), path);
}
