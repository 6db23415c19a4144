// The tutorials' matplotlib charts as Vega-Lite specifications, rendered to SVG by Vega in Node.
import type { TopLevelSpec } from 'vega-lite';
import type { Figure } from './figure.js';
import { FONT_STACK } from './svg.js';

const config = {
  font: FONT_STACK,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14 },
  view: { stroke: '#888' },
};

/** Renders a Vega-Lite specification to an SVG figure. Vega loads on first use (25 MB). */
export async function renderChart(spec: TopLevelSpec): Promise<Figure> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile({ ...spec, config: { ...config, ...(spec.config ?? {}) } }).spec), {
    renderer: 'none',
  });
  try {
    return { svg: await view.toSVG() };
  } finally {
    view.finalize();
  }
}

/** The series of the training curve: train losses against examples seen, and test losses as points. */
export interface CurveData {
  trainCounter: number[];
  trainLosses: number[];
  testCounter: number[];
  testLosses: number[];
  /** The learning rate at each logged batch: drawn under the loss when it changes. */
  learningRates?: number[];
}

/**
 * The MNIST tutorial's training curve: train loss as a line against examples seen, test loss as
 * red points, with a legend and the tutorial's axis titles; a scheduled learning rate in a panel below.
 */
export function trainingCurve(h: CurveData, title = 'Training curve'): Promise<Figure> {
  const train = h.trainCounter.map((x, i) => ({ x, loss: h.trainLosses[i], series: 'Train Loss' }));
  const test = h.testCounter.map((x, i) => ({ x, loss: h.testLosses[i], series: 'Test Loss' }));
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: ['Train Loss', 'Test Loss'], range: ['#1f77b4', 'red'] },
    legend: { orient: 'top-right' },
  } as const;
  const x = { field: 'x', type: 'quantitative', title: 'number of training examples seen' } as const;
  const y = { field: 'loss', type: 'quantitative', title: 'negative log likelihood loss' } as const;
  const loss = {
    width: 560,
    height: 320,
    layer: [
      { data: { values: train }, mark: { type: 'line' as const, strokeWidth: 1.5 }, encoding: { x, y, color } },
      {
        data: { values: test },
        mark: { type: 'point' as const, filled: true, size: 70, opacity: 1 },
        encoding: { x, y, color },
      },
    ],
  };
  const rates = h.learningRates ?? [];
  if (rates.length !== h.trainCounter.length || rates.every((r) => r === rates[0]))
    return renderChart({ title, ...loss });
  const lr = {
    width: 560,
    height: 110,
    data: { values: h.trainCounter.map((x, i) => ({ x, lr: rates[i] })) },
    mark: { type: 'line', strokeWidth: 1.5, color: '#2ca02c' },
    encoding: { x, y: { field: 'lr', type: 'quantitative', title: 'learning rate' } },
  } as const;
  return renderChart({ title, vconcat: [loss, lr] });
}

/** Loss per epoch as lines with points and a grid (train, and test where given). */
export function lossPerEpoch(train: number[], test?: number[], title = 'Loss per epoch'): Promise<Figure> {
  const values = [
    ...train.map((loss, i) => ({ epoch: i + 1, loss, series: 'train' })),
    ...(test ?? []).map((loss, i) => ({ epoch: i + 1, loss, series: 'test' })),
  ];
  return renderChart({
    title,
    width: 480,
    height: 300,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'loss', type: 'quantitative', title: 'loss' },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: ['train', 'test'] },
        legend: { orient: 'top-right' },
      },
    },
  });
}

/** One model's row of a comparison chart. */
export interface ComparisonEntry {
  modelName: string;
  accuracy: number;
  trainTimeS: number;
}

/**
 * The tutorials' model comparison: accuracy and training time as two bar charts side by side,
 * and below them accuracy against training time, a point per model.
 */
export function comparisonChart(rows: ComparisonEntry[], title = 'Model comparison'): Promise<Figure> {
  const panel = (field: string, axisTitle: string, format: string, labels: boolean) => ({
    width: 300,
    height: 28 * rows.length + 10,
    encoding: {
      y: { field: 'modelName', type: 'nominal', title: null, sort: null, axis: { labels } },
      x: { field, type: 'quantitative', title: axisTitle },
    },
    layer: [
      { mark: 'bar', encoding: { color: { field: 'modelName', type: 'nominal', legend: null } } },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field, type: 'quantitative', format } } },
    ],
  });
  const tradeOff = {
    width: 640,
    height: 260,
    encoding: {
      x: { field: 'trainTimeS', type: 'quantitative', title: 'training time (seconds)', scale: { zero: true } },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: { zero: false } },
    },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: { color: { field: 'modelName', type: 'nominal', legend: null } },
      },
      { mark: { type: 'text', align: 'left', dx: 7, dy: -7 }, encoding: { text: { field: 'modelName' } } },
    ],
  };
  return renderChart({
    title,
    data: { values: rows },
    vconcat: [
      {
        hconcat: [
          panel('accuracy', 'accuracy (%)', '.2f', true),
          panel('trainTimeS', 'training time (seconds)', '.1f', false),
        ],
      },
      tradeOff,
    ],
  } as TopLevelSpec);
}

/** A confusion-matrix heatmap: true class down, predicted class across, counts in the cells. */
export function confusionMatrixChart(
  matrix: number[][],
  classes: string[],
  title = 'Confusion matrix',
): Promise<Figure> {
  const values = matrix.flatMap((row, t) =>
    row.map((count, p) => ({ truth: classes[t], predicted: classes[p], count })),
  );
  const max = Math.max(...values.map((v) => v.count));
  const axis = (t: string) => ({
    field: t === 'truth' ? 'truth' : 'predicted',
    type: 'ordinal',
    sort: classes,
    title: t === 'truth' ? 'true label' : 'predicted label',
  });
  return renderChart({
    title,
    data: { values },
    width: 34 * classes.length,
    height: 34 * classes.length,
    encoding: {
      x: { ...axis('predicted'), axis: { labelAngle: -45, grid: false } },
      y: { ...axis('truth'), axis: { grid: false } },
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, title: 'count' } },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec);
}
