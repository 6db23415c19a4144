// Cosine schedules: CosineAnnealingLR (PyTorch 1.13's recursive form, step for step) and
// CosineAnnealingWarmRestarts (SGDR).
import { checkOptions } from '../../util/options.js';
import { LRScheduler, positiveInteger, type AnyOptimizer } from './base.js';
import type { SchedulerOptions } from './step.js';

/**
 * Anneals the learning rate along a cosine from the initial rate to `etaMin` over `tMax` epochs
 * (and back up over the next `tMax`, as PyTorch's does when stepped past `tMax`).
 * @pytorch `torch.optim.lr_scheduler.CosineAnnealingLR`
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly etaMin: number;

  constructor(
    optimizer: AnyOptimizer,
    readonly tMax: number,
    opts: SchedulerOptions & { etaMin?: number } = {},
  ) {
    checkOptions('CosineAnnealingLR', opts, ['etaMin', 'lastEpoch', 'verbose']);
    super(optimizer, opts.lastEpoch, opts.verbose);
    if (!(tMax > 0)) throw new RangeError(`CosineAnnealingLR: tMax must be positive, got ${tMax}`);
    this.etaMin = opts.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    if (e === 0) return this.groupLrs();
    if (this.stepCount === 1 && e > 0)
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if ((((e - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0)
      return this.groupLrs().map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    return this.groupLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2,
    );
  }
}

/**
 * Cosine annealing with warm restarts: the first cycle lasts `t0` epochs, each next one `tMult`
 * times longer.
 * @pytorch `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  tI: number;
  tCur: number;

  constructor(optimizer: AnyOptimizer, t0: number, opts: SchedulerOptions & { tMult?: number; etaMin?: number } = {}) {
    checkOptions('CosineAnnealingWarmRestarts', opts, ['tMult', 'etaMin', 'lastEpoch', 'verbose']);
    super(optimizer, opts.lastEpoch, opts.verbose);
    this.t0 = positiveInteger('CosineAnnealingWarmRestarts', 'T_0', t0);
    const tMult = opts.tMult ?? 1;
    if (!Number.isInteger(tMult) || tMult < 1)
      throw new RangeError(`CosineAnnealingWarmRestarts: expected integer T_mult >= 1, but got ${tMult}`);
    this.tMult = tMult;
    this.etaMin = opts.etaMin ?? 0;
    this.tI = t0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2,
    );
  }

  override step(...epoch: unknown[]): void {
    if (epoch.length > 0) {
      super.step(...epoch);
      return;
    }
    if (this.lastEpoch < 0) {
      this.stepTo(0);
      return;
    }
    this.stepCount++;
    this.lastEpoch++;
    this.tCur++;
    if (this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    this.apply(this.getLr());
  }

  override stepTo(epoch: number): void {
    if (epoch < 0) throw new RangeError(`CosineAnnealingWarmRestarts: expected non-negative epoch, but got ${epoch}`);
    if (epoch >= this.t0) {
      if (this.tMult === 1) this.tCur = epoch % this.t0;
      else {
        const n = Math.floor(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
        this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        this.tI = this.t0 * this.tMult ** n;
      }
    } else {
      this.tI = this.t0;
      this.tCur = epoch;
    }
    this.stepCount++;
    this.lastEpoch = Math.floor(epoch);
    this.apply(this.getLr());
  }
}
