import { noGrad } from '../autograd/grad_mode.js';
import { withArena } from '../compile/arena.js';
import type { LossFn } from '../compile/step.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { className } from '../util/class_name.js';
import { drain } from '../util/steps.js';
import { checkTta, ttaViews, type TtaMode } from './tta_views.js';

/** What `evaluate` measured: mean loss, accuracy, correct and total counts, the confusion matrix. */
export interface EvalResult {
  /** The model's class name, as the Fashion tutorial's `eval_model` reports it. */
  modelName: string;
  /** Mean loss per sample over the whole set. */
  loss: number;
  /** Percent of samples classified correctly. */
  accuracy: number;
  correct: number;
  total: number;
  /** confusion[t][p]: samples of true class t predicted as p. */
  confusion: number[][];
}

/** How `evaluate` tests. */
export interface EvaluateOptions {
  /**
   * Test-time augmentation: 'hflip' averages the outputs for each image and its mirror image
   * (right for photos such as CIFAR, wrong for digits and letters), 'shift' for each image and its
   * four one-pixel shifts; 'none' by default.
   */
  tta?: TtaMode;
}

/** Samples per forward pass: a test batch of 1000 runs in chunks, so its activations stay small. */
const CHUNK = 250;
/** Samples per forward pass where the steps share a page's thread: each is a few milliseconds. */
export const ASYNC_EVAL_CHUNK = 25;

/**
 * Runs `model` in eval mode over `loader` without gradients and returns the mean loss and accuracy
 * per sample (the tutorial's `eval_model` averages per batch, which weighs a short last batch
 * more). The model's train/eval mode is restored afterwards. With `tta` each image's outputs are
 * averaged with those of its mirror image ('hflip') or its one-pixel shifts ('shift') before the
 * loss and the prediction.
 */
export function evaluate(
  model: Module,
  loader: Iterable<[Tensor, Tensor]>,
  lossFn: LossFn,
  opts: EvaluateOptions = {},
): EvalResult {
  return drain(evaluateSteps(model, loader, lossFn, opts));
}

/**
 * `evaluate` as steps: it yields after each forward pass of `chunk` samples, so a caller can let a
 * page draw in between.
 */
export function* evaluateSteps(
  model: Module,
  loader: Iterable<[Tensor, Tensor]>,
  lossFn: LossFn,
  opts: EvaluateOptions = {},
  chunk = CHUNK,
): Generator<void, EvalResult> {
  checkOptions('evaluate', opts, ['tta']);
  const tta = checkTta(opts.tta ?? 'none', 'evaluate');
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let correct = 0;
  let total = 0;
  const confusion: number[][] = [];
  try {
    for (const [batch, labels] of loader) {
      for (let start = 0; start < labels.shape[0]; start += chunk) {
        noGrad(() =>
          withArena(() => {
            const data = batch.slice(start, start + chunk);
            const target = labels.slice(start, start + chunk);
            const views = ttaViews(data, tta);
            let output = model.forward(views[0]);
            for (const view of views.slice(1)) output = output.add(model.forward(view));
            if (views.length > 1) output = output.div(views.length);
            const n = target.shape[0];
            lossSum += lossFn(output, target).item() * n;
            const pred = output.argmax(1).values();
            const truth = target.values();
            const classes = output.shape[1];
            while (confusion.length < classes) confusion.push([]);
            for (const row of confusion) while (row.length < classes) row.push(0);
            for (let i = 0; i < n; i++) {
              confusion[truth[i]][pred[i]]++;
              if (truth[i] === pred[i]) correct++;
            }
            total += n;
          }),
        );
        yield;
      }
    }
  } finally {
    model.train(wasTraining);
  }
  return {
    modelName: className(model),
    loss: lossSum / total,
    accuracy: (100 * correct) / total,
    correct,
    total,
    confusion,
  };
}

/** `Test set: Avg. loss: 0.1011, Accuracy: 9688/10000 (97%)`, as PyTorch's MNIST example prints it. */
export function formatTestLine(r: EvalResult, setName = 'Test'): string {
  return `${setName} set: Avg. loss: ${r.loss.toFixed(4)}, Accuracy: ${r.correct}/${r.total} (${Math.round(r.accuracy)}%)`;
}
