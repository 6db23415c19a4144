// `fit`'s time budget: how many steps fit in the time, from the first batches' speed, so that the
// learning-rate schedule is laid out over those steps and ends when the time does.
import type { Scheduler } from '../optim/lr_scheduler.js';

/** How a run's steps are laid out: what a scheduler factory is given. */
export interface SchedulePlan {
  /** Epochs to train; the last one may stop before its end (at `totalSteps`). */
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

/** A scheduler, or a function making one for the steps the run will take (what a time budget needs). */
export type SchedulerOption = Scheduler | ((plan: SchedulePlan) => Scheduler);

/** How often a planned run checks its speed again, as a share of the budget. */
export const REPLAN_EVERY = 0.1;
/** How far the steps that fit must move before the run is laid out again, as a share of them. */
const REPLAN_DRIFT = 0.01;
/** The steps a new plan must leave for the rest of the schedule: a share of them, and at least a few. */
const REPLAN_MIN_LEFT_SHARE = 0.1;
const REPLAN_MIN_LEFT = 5;

/** Steps not timed: the first ones trace and check the compiled step. */
const UNTIMED_STEPS = 3;
/** Steps timed at least, and the share of the budget the timing takes at least (and 0.5 s). */
const MIN_TIMED_STEPS = 5;
const TIMED_SHARE = 0.03;

/** The plan of a run of whole epochs. */
export function epochPlan(epochs: number, stepsPerEpoch: number): SchedulePlan {
  return { epochs, stepsPerEpoch, totalSteps: epochs * stepsPerEpoch };
}

/** Checks a budget in seconds: a positive finite number. */
export function checkBudget(seconds: number): void {
  if (!(typeof seconds === 'number' && seconds > 0 && Number.isFinite(seconds)))
    throw new RangeError(`fit: timeBudgetS must be a positive number of seconds, got ${seconds}`);
}

/**
 * Times the first steps of a run and then says how many steps fit in the budget, leaving time for
 * the test after each epoch: at most `maxEpochs` epochs, and at least the steps already taken.
 */
export class TimeBudget {
  private timedFrom: { steps: number; s: number } | null = null;

  constructor(
    readonly budgetS: number,
    private readonly stepsPerEpoch: number,
    private readonly maxEpochs: number,
    /** Seconds one test pass takes, given a training step's (measured before training, or estimated). */
    private readonly testS: (stepS: number) => number,
    /** Test passes that follow the run within the budget. */
    private readonly testsAfter = 0,
  ) {
    checkBudget(budgetS);
  }

  /** After each step: the plan once the steps are timed, null until then. */
  observe(stepsDone: number, elapsedS: number): SchedulePlan | null {
    if (stepsDone < UNTIMED_STEPS) return null;
    if (!this.timedFrom) {
      this.timedFrom = { steps: stepsDone, s: elapsedS };
      return null;
    }
    const timed = stepsDone - this.timedFrom.steps;
    const spent = elapsedS - this.timedFrom.s;
    const enough = Math.max(0.5, TIMED_SHARE * this.budgetS);
    const epochEnds = stepsDone % this.stepsPerEpoch === 0;
    if (timed < MIN_TIMED_STEPS || (spent < enough - 1e-9 && !epochEnds && stepsDone < this.maxSteps())) return null;
    return this.plan(stepsDone, elapsedS, spent / timed);
  }

  private maxSteps(): number {
    return this.maxEpochs * this.stepsPerEpoch;
  }

  /**
   * Once planned: a new plan where steps now take `stepS` seconds and so many more or fewer fit
   * (more than 1% of the plan's), else null. The machine's speed moves after the first batches.
   * Near the end the plan stands: the schedule needs steps left to end on (a tenth of them, 5 or more).
   */
  replan(stepsDone: number, elapsedS: number, stepS: number, current: SchedulePlan): SchedulePlan | null {
    const next = this.plan(stepsDone, elapsedS, stepS);
    const left = next.totalSteps - stepsDone;
    if (left < Math.max(REPLAN_MIN_LEFT, REPLAN_MIN_LEFT_SHARE * next.totalSteps)) return null;
    return Math.abs(next.totalSteps - current.totalSteps) > REPLAN_DRIFT * current.totalSteps ? next : null;
  }

  /** The most steps whose training and tests end within the budget, given each step's time. */
  plan(stepsDone: number, elapsedS: number, stepS: number): SchedulePlan {
    const S = this.stepsPerEpoch;
    const testS = this.testS(stepS);
    const epochsDone = Math.floor(stepsDone / S);
    const fits = (total: number) =>
      elapsedS +
        (total - stepsDone) * stepS +
        (Math.max(1, Math.ceil(total / S) - epochsDone) + this.testsAfter) * testS <=
      this.budgetS;
    // The time taken grows with the steps: the last that fits, by bisection.
    let [lo, hi] = [stepsDone, Math.max(stepsDone, this.maxSteps())];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    const total = Math.max(lo, 1);
    return { epochs: Math.ceil(total / S), stepsPerEpoch: S, totalSteps: total };
  }
}
