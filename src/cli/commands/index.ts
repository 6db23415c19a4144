import { compare } from './compare.js';
import { dashboard } from './dashboard.js';
import { data } from './data.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { inspect } from './inspect.js';
import { predict } from './predict.js';
import { train } from './train.js';
import { viz } from './viz.js';

export interface Command {
  summary: string;
  run(argv: string[]): number | Promise<number>;
}

export const commands: Record<string, Command> = {
  train: { summary: 'train a model from the zoo, checkpointing into a run directory', run: train },
  eval: { summary: 'test a trained model: loss, accuracy, per-class accuracy, confusion matrix', run: evalCommand },
  predict: { summary: 'classify image files with a trained model', run: predict },
  compare: { summary: 'train several models on the same data and compare them', run: compare },
  export: { summary: 'write a trained model for ONNX Runtime (model.onnx) or PyTorch (model.py)', run: exportCommand },
  inspect: { summary: "show a model's layers, parameters and output shapes", run: inspect },
  data: { summary: 'describe a dataset: sizes, classes, class counts', run: data },
  dashboard: { summary: 'a live view of runs in a page on 127.0.0.1: loss, accuracy, speed, pictures', run: dashboard },
  viz: { summary: 'draw pictures: samples, training curve, confusion matrix, feature maps', run: viz },
};
