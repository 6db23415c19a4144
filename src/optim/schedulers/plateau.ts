// ReduceLROnPlateau: lowers the rate when a watched metric stops improving.
import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { perGroup, StatefulScheduler, type AnyOptimizer } from './base.js';

/** ReduceLROnPlateau's options. */
export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
  verbose?: boolean;
}

/**
 * Multiplies the rate by `factor` once the metric given to `step(metric)` has not improved for
 * `patience` epochs, then waits `cooldown` epochs.
 * @pytorch `torch.optim.lr_scheduler.ReduceLROnPlateau`
 */
export class ReduceLROnPlateau extends StatefulScheduler {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  readonly verbose: boolean;
  /** The best metric so far. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(
    readonly optimizer: AnyOptimizer,
    opts: ReduceLROnPlateauOptions = {},
  ) {
    super();
    checkOptions('ReduceLROnPlateau', opts, [
      'mode',
      'factor',
      'patience',
      'threshold',
      'thresholdMode',
      'cooldown',
      'minLr',
      'eps',
      'verbose',
    ]);
    this.factor = opts.factor ?? 0.1;
    if (!(this.factor < 1)) throw new RangeError('ReduceLROnPlateau: Factor should be < 1.0.');
    this.mode = opts.mode ?? 'min';
    if (this.mode !== 'min' && this.mode !== 'max')
      throw new RangeError(`ReduceLROnPlateau: mode ${String(this.mode)} is unknown!`);
    this.thresholdMode = opts.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs')
      throw new RangeError(`ReduceLROnPlateau: threshold mode ${String(this.thresholdMode)} is unknown!`);
    this.patience = opts.patience ?? 10;
    this.threshold = opts.threshold ?? 1e-4;
    this.cooldown = opts.cooldown ?? 0;
    this.minLrs = perGroup(optimizer, 'min_lr', opts.minLr ?? 0);
    this.eps = opts.eps ?? 1e-8;
    this.verbose = opts.verbose ?? false;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /**
   * Records one epoch's metric (a number or a one-element tensor) and lowers the rate on a plateau.
   * @pytorch `torch.optim.lr_scheduler.ReduceLROnPlateau.step`
   */
  step(metric?: number | Tensor, ...epoch: unknown[]): void {
    if (epoch.length > 0)
      throw new TypeError('ReduceLROnPlateau.step: not supported: an epoch argument (deprecated in PyTorch)');
    if (metric === undefined) throw new TypeError('ReduceLROnPlateau.step: needs the metric, step(metric)');
    const current = typeof metric === 'number' ? metric : metric.item();
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - next > this.eps) {
          g.lr = next;
          if (this.verbose)
            console.log(
              `Epoch ${String(this.lastEpoch).padStart(5, '0')}: reducing learning rate of group ${i} to ${next.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2')}.`,
            );
        }
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}
