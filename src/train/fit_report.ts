import { ProgressBar } from './progress.js';
import type { BatchInfo, FitCallbacks, FitOptions } from './fit_options.js';

/** `Train Epoch: 1 [640/60000 (1%)]\tLoss: 2.301591`, as PyTorch's MNIST example prints it. */
export function formatTrainLine(info: BatchInfo): string {
  return `Train Epoch: ${info.epoch} [${info.seen}/${info.datasetSize} (${Math.round((100 * info.batch) / info.batches)}%)]\tLoss: ${info.loss.toFixed(6)}`;
}

/** `Train time on cpu: 12.345 seconds`, as the Fashion-MNIST tutorial's print_train_time. */
export function formatTrainTime(seconds: number): string {
  return `Train time on cpu: ${seconds.toFixed(3)} seconds`;
}

/** Where `fit` says what it does: log lines, the progress bar on a terminal, and the callbacks. */
export class FitReporter {
  readonly callbacks: FitCallbacks[];
  private readonly log: (line: string) => void;
  private readonly bar: ProgressBar | null;
  private lastDraw = 0;
  /** Why steps ran through autograd, each said once. */
  private readonly untraced = new Set<string>();

  constructor(opts: Pick<FitOptions, 'callbacks' | 'log' | 'progress'>) {
    this.callbacks =
      opts.callbacks === undefined ? [] : Array.isArray(opts.callbacks) ? opts.callbacks : [opts.callbacks];
    this.log = opts.log === undefined ? (line: string) => console.log(line) : (opts.log ?? (() => {}));
    this.bar =
      (opts.progress ?? (typeof process !== 'undefined' && process.stdout?.isTTY))
        ? new ProgressBar(process.stderr)
        : null;
  }

  /** One line of the log, the progress bar cleared first. */
  say(line: string): void {
    this.bar?.clear();
    this.log(line);
  }

  /** Says once per reason why batches of a size run through autograd instead of a traced plan. */
  untracedOnce(reason: string | null, batchSize: number): void {
    if (!reason || this.untraced.has(reason)) return;
    this.untraced.add(reason);
    this.say(`Note: batches of ${batchSize} run through autograd, not a traced plan: ${reason}`);
  }

  /** The tutorial's `Train Epoch:` line and the onLog callbacks. */
  trainLine(info: BatchInfo): void {
    this.say(formatTrainLine(info));
    for (const c of this.callbacks) c.onLog?.(info);
  }

  /** Redraws the progress bar, at most every 100 ms. */
  progress(info: BatchInfo, epochs: number): void {
    if (!this.bar || performance.now() - this.lastDraw <= 100) return;
    this.bar.update(`Epoch ${info.epoch}/${epochs}`, info.batch + 1, info.batches, `loss ${info.loss.toFixed(4)}`);
    this.lastDraw = performance.now();
  }

  endEpoch(): void {
    this.bar?.clear();
    this.lastDraw = 0;
  }
}
