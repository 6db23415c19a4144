// Schedules stepped once per batch that also cycle the momentum: CyclicLR and OneCycleLR.
import { checkOptions } from '../../util/options.js';
import { LRScheduler, perGroup, positiveInteger, setInitialLrs, type AnyOptimizer } from './base.js';
import type { SchedulerOptions } from './step.js';

type Group = { lr: number; momentum?: number; betas?: [number, number] };

/** Whether the optimizer has a momentum (SGD, RMSprop) or Adam's betas to cycle. */
function momentumKind(optimizer: AnyOptimizer, allowBetas: boolean): 'momentum' | 'betas' {
  const defaults = optimizer.defaults as object;
  if ('momentum' in defaults) return 'momentum';
  if (allowBetas && 'betas' in defaults) return 'betas';
  throw new TypeError(
    'optimizer must support momentum with `cycle_momentum` option enabled (cycleMomentum: false turns it off)',
  );
}

function setMomentum(group: Group, kind: 'momentum' | 'betas', value: number): void {
  if (kind === 'betas') group.betas = [value, group.betas![1]];
  else group.momentum = value;
}

/** CyclicLR's options. */
export interface CyclicLROptions extends SchedulerOptions {
  stepSizeUp?: number;
  stepSizeDown?: number;
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  gamma?: number;
  /** A custom scaling of the cycle's height, instead of `mode`. */
  scaleFn?: (x: number) => number;
  scaleMode?: 'cycle' | 'iterations';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
}

/**
 * Cycles the learning rate between `baseLr` and `maxLr` (and the momentum the other way),
 * stepped after every batch.
 * @pytorch `torch.optim.lr_scheduler.CyclicLR`
 */
export class CyclicLR extends LRScheduler {
  readonly maxLrs: number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: string;
  readonly gamma: number;
  readonly scaleMode: 'cycle' | 'iterations';
  readonly cycleMomentum: boolean;
  readonly baseMomentums: number[] = [];
  readonly maxMomentums: number[] = [];
  private readonly customScale: ((x: number) => number) | undefined;
  private readonly momentum: 'momentum' | 'betas' | null;

  constructor(
    optimizer: AnyOptimizer,
    baseLr: number | number[],
    maxLr: number | number[],
    opts: CyclicLROptions = {},
  ) {
    checkOptions('CyclicLR', opts, [
      'stepSizeUp',
      'stepSizeDown',
      'mode',
      'gamma',
      'scaleFn',
      'scaleMode',
      'cycleMomentum',
      'baseMomentum',
      'maxMomentum',
      'lastEpoch',
      'verbose',
    ]);
    const baseLrs = perGroup(optimizer, 'base_lr', baseLr);
    if ((opts.lastEpoch ?? -1) === -1) optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]));
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.maxLrs = perGroup(optimizer, 'max_lr', maxLr);
    const up = opts.stepSizeUp ?? 2000;
    const down = opts.stepSizeDown ?? up;
    if (!(up > 0) || !(down >= 0)) throw new RangeError('CyclicLR: stepSizeUp must be positive and stepSizeDown >= 0');
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = opts.mode ?? 'triangular';
    if (!['triangular', 'triangular2', 'exp_range'].includes(this.mode) && !opts.scaleFn)
      throw new RangeError('CyclicLR: mode is invalid and scale_fn is None');
    this.gamma = opts.gamma ?? 1;
    this.customScale = opts.scaleFn;
    this.scaleMode = opts.scaleFn ? (opts.scaleMode ?? 'cycle') : this.mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = opts.cycleMomentum ?? true;
    this.momentum = this.cycleMomentum ? momentumKind(optimizer, false) : null;
    if (this.momentum) {
      const groups = optimizer.paramGroups as unknown as Group[];
      const base = perGroup(optimizer, 'base_momentum', opts.baseMomentum ?? 0.8);
      if ((opts.lastEpoch ?? -1) === -1) groups.forEach((g, i) => (g.momentum = base[i]));
      this.baseMomentums = groups.map((g) => g.momentum!);
      this.maxMomentums = perGroup(optimizer, 'max_momentum', opts.maxMomentum ?? 0.9);
    }
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  private scale(x: number): number {
    if (this.customScale) return this.customScale(x);
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1;
  }

  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const factor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const at = this.scaleMode === 'cycle' ? cycle : this.lastEpoch;
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * factor * this.scale(at));
    if (this.momentum) {
      const groups = this.optimizer.paramGroups as unknown as Group[];
      groups.forEach((g, i) => {
        const height = (this.maxMomentums[i] - this.baseMomentums[i]) * factor;
        setMomentum(g, this.momentum!, this.maxMomentums[i] - height * this.scale(at));
      });
    }
    return lrs;
  }
}

/** OneCycleLR's options: `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions extends SchedulerOptions {
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

/**
 * The 1cycle policy: the rate rises from `maxLr / divFactor` to `maxLr`, then anneals far below the
 * start, while the momentum moves the other way; stepped after every batch, `totalSteps` times.
 * @pytorch `torch.optim.lr_scheduler.OneCycleLR`
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: Phase[];
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  readonly groupRates: { initialLr: number; maxLr: number; minLr: number; maxMomentum: number; baseMomentum: number }[];
  private readonly momentum: 'momentum' | 'betas' | null;

  constructor(optimizer: AnyOptimizer, maxLr: number | number[], opts: OneCycleLROptions = {}) {
    checkOptions('OneCycleLR', opts, [
      'totalSteps',
      'epochs',
      'stepsPerEpoch',
      'pctStart',
      'annealStrategy',
      'cycleMomentum',
      'baseMomentum',
      'maxMomentum',
      'divFactor',
      'finalDivFactor',
      'threePhase',
      'lastEpoch',
      'verbose',
    ]);
    super(optimizer, opts.lastEpoch, opts.verbose);
    if (opts.totalSteps === undefined && opts.epochs === undefined && opts.stepsPerEpoch === undefined)
      throw new RangeError('OneCycleLR: You must define either total_steps OR (epochs AND steps_per_epoch)');
    this.totalSteps =
      opts.totalSteps !== undefined
        ? positiveInteger('OneCycleLR', 'total_steps', opts.totalSteps)
        : positiveInteger('OneCycleLR', 'epochs', opts.epochs ?? NaN) *
          positiveInteger('OneCycleLR', 'steps_per_epoch', opts.stepsPerEpoch ?? NaN);
    const pct = opts.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1))
      throw new RangeError(`OneCycleLR: Expected float between 0 and 1 pct_start, but got ${pct}`);
    const n = this.totalSteps;
    this.phases = opts.threePhase
      ? [
          {
            endStep: pct * n - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pct * n - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          {
            endStep: n - 1,
            startLr: 'initialLr',
            endLr: 'minLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'maxMomentum',
          },
        ]
      : [
          {
            endStep: pct * n - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: n - 1,
            startLr: 'maxLr',
            endLr: 'minLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
        ];
    this.annealStrategy = opts.annealStrategy ?? 'cos';
    if (this.annealStrategy !== 'cos' && this.annealStrategy !== 'linear')
      throw new RangeError(
        `OneCycleLR: anneal_strategy must by one of 'cos' or 'linear', instead got ${String(this.annealStrategy)}`,
      );
    const maxLrs = perGroup(optimizer, 'max_lr', maxLr);
    const div = opts.divFactor ?? 25;
    const finalDiv = opts.finalDivFactor ?? 1e4;
    const maxMomentums = perGroup(optimizer, 'max_momentum', opts.maxMomentum ?? 0.95);
    const baseMomentums = perGroup(optimizer, 'base_momentum', opts.baseMomentum ?? 0.85);
    this.groupRates = maxLrs.map((m, i) => ({
      initialLr: m / div,
      maxLr: m,
      minLr: m / div / finalDiv,
      maxMomentum: maxMomentums[i],
      baseMomentum: baseMomentums[i],
    }));
    this.cycleMomentum = opts.cycleMomentum ?? true;
    this.momentum = this.cycleMomentum ? momentumKind(optimizer, true) : null;
    if (this.momentum)
      (optimizer.paramGroups as unknown as Group[]).forEach((g, i) => setMomentum(g, this.momentum!, maxMomentums[i]));
    if ((opts.lastEpoch ?? -1) === -1) {
      setInitialLrs(
        optimizer,
        this.groupRates.map((r) => r.initialLr),
      );
      this.baseLrs = this.groupRates.map((r) => r.initialLr);
    }
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps)
      throw new RangeError(
        `OneCycleLR: Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`,
      );
    const groups = this.optimizer.paramGroups as unknown as Group[];
    return this.groupRates.map((rates, g) => {
      let start = 0;
      for (const [i, phase] of this.phases.entries()) {
        if (step <= phase.endStep || i === this.phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (this.momentum)
            setMomentum(
              groups[g],
              this.momentum,
              this.anneal(rates[phase.startMomentum], rates[phase.endMomentum], pct),
            );
          return this.anneal(rates[phase.startLr], rates[phase.endLr], pct);
        }
        start = phase.endStep;
      }
      throw new Error('unreachable');
    });
  }
}
