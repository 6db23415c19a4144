// The base of the learning-rate schedulers, following PyTorch 1.13's `_LRScheduler`: the
// constructor takes an initial step (epoch 0), each `step()` recomputes the rates from the current
// ones (the chainable form), and the optimizer's first rates are remembered as its initial ones.
import type { Optimizer } from '../optimizer.js';
import { className } from '../../util/class_name.js';

/** Any optimizer whose groups have a learning rate. */
export type AnyOptimizer = Optimizer<{ lr: number }>;

/** A scheduler's state: its counters, its rates and its settings, as plain data. */
export type SchedulerState = Record<string, unknown>;

/** What `fit` and the schedulers that combine others need of a scheduler. */
export interface Scheduler {
  /** The optimizer whose rates it sets. */
  readonly optimizer: AnyOptimizer;
  /** Advances one epoch or batch. */
  step(): void;
  /** Each group's rate as last set. */
  getLastLr(): number[];
  /** Its state as plain data (JSON survives it). */
  stateDict(): SchedulerState;
  /** Restores a state from `stateDict`. */
  loadStateDict(state: SchedulerState): void;
}

/** Each optimizer's initial rates (PyTorch keeps them as `initial_lr` in its groups). */
const initialLrs = new WeakMap<object, number[]>();

/** The initial rates of `optimizer`, remembered from the first scheduler built on it. */
export function initialLrsOf(optimizer: AnyOptimizer): number[] | undefined {
  return initialLrs.get(optimizer);
}

/** Sets the initial rates of `optimizer` (OneCycleLR replaces them, as PyTorch's does). */
export function setInitialLrs(optimizer: AnyOptimizer, lrs: number[]): void {
  initialLrs.set(optimizer, [...lrs]);
}

/** PyTorch's `{:.4e}`: four decimals and an exponent of at least two digits. */
function scientific(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A list of one value per group, from one value or a list as long as the groups. */
export function perGroup<T>(optimizer: AnyOptimizer, name: string, value: T | readonly T[]): T[] {
  if (!Array.isArray(value)) return optimizer.paramGroups.map(() => value as T);
  if (value.length !== optimizer.paramGroups.length)
    throw new RangeError(`expected ${optimizer.paramGroups.length} values for ${name}, got ${value.length}`);
  return [...(value as readonly T[])];
}

const isScheduler = (v: unknown): v is Scheduler =>
  typeof v === 'object' && v !== null && typeof (v as Scheduler).stateDict === 'function';

/**
 * The plain-data fields of `owner` (not its optimizer nor its functions); nested schedulers as their
 * states, infinite numbers as strings so that the state survives JSON.
 */
export function ownState(owner: object): SchedulerState {
  const out: SchedulerState = {};
  for (const [k, v] of Object.entries(owner)) {
    if (k === 'optimizer' || typeof v === 'function') continue;
    if (v === undefined || (Array.isArray(v) && v.some((x) => typeof x === 'function'))) continue;
    if (typeof v === 'number' && !Number.isFinite(v)) out[k] = String(v);
    else out[k] = Array.isArray(v) && v.some(isScheduler) ? v.map((s: Scheduler) => s.stateDict()) : structuredClone(v);
  }
  return out;
}

/** Restores fields saved by `ownState`; a field this scheduler lacks, or one missing, is an error. */
export function loadOwnState(owner: object, state: SchedulerState): void {
  const name = className(owner);
  if (typeof state !== 'object' || state === null) throw new TypeError(`${name}.loadStateDict: expected an object`);
  const own = ownState(owner);
  for (const k of Object.keys(state))
    if (!(k in own))
      throw new TypeError(`${name}.loadStateDict: unknown key '${k}' (was it saved from another scheduler?)`);
  for (const [k, v] of Object.entries(own)) {
    if (!(k in state)) throw new TypeError(`${name}.loadStateDict: the state has no '${k}'`);
    let saved = state[k];
    if (typeof (owner as Record<string, unknown>)[k] === 'number' && /^(-?Infinity|NaN)$/.test(String(saved)))
      saved = Number(saved);
    if (typeof saved === 'number' && typeof v === 'string') {
      (owner as Record<string, unknown>)[k] = saved;
      continue;
    }
    if (typeof saved !== typeof v || Array.isArray(saved) !== Array.isArray(v))
      throw new TypeError(`${name}.loadStateDict: '${k}' is ${JSON.stringify(saved)}, not like ${JSON.stringify(v)}`);
    const current = (owner as Record<string, unknown>)[k];
    if (Array.isArray(current) && current.some(isScheduler)) {
      const list = saved as SchedulerState[];
      if (list.length !== current.length)
        throw new TypeError(
          `${name}.loadStateDict: '${k}' holds ${list.length} schedulers, this one ${current.length}`,
        );
      current.forEach((s: Scheduler, i) => s.loadStateDict(list[i]));
    } else (owner as Record<string, unknown>)[k] = structuredClone(saved);
  }
}

/** What every scheduler shares: the last rates set, and its state as its own plain-data fields. */
export abstract class StatefulScheduler implements Scheduler {
  abstract readonly optimizer: AnyOptimizer;
  protected lastLr: number[] = [];

  /** Advances one epoch or batch. */
  abstract step(): void;

  /**
   * The learning rate of each group as last set.
   * @pytorch `torch.optim.lr_scheduler._LRScheduler.get_last_lr`
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The state to save: counters, rates and settings (functions such as LambdaLR's are not saved).
   * @pytorch `torch.optim.lr_scheduler._LRScheduler.state_dict`
   */
  stateDict(): SchedulerState {
    return ownState(this);
  }

  /**
   * Restores a state from `stateDict` (load the optimizer's state first, as in PyTorch).
   * @pytorch `torch.optim.lr_scheduler._LRScheduler.load_state_dict`
   */
  loadStateDict(state: SchedulerState): void {
    loadOwnState(this, state);
  }
}

/**
 * Base class of the learning-rate schedulers: `step()` after each epoch (or batch, for OneCycleLR
 * and CyclicLR) sets each group's `lr`. Subclasses set their fields, then call `initialStep()`.
 * @pytorch `torch.optim.lr_scheduler._LRScheduler`
 */
export abstract class LRScheduler extends StatefulScheduler {
  lastEpoch: number;
  baseLrs: number[];
  protected stepCount = 0;

  constructor(
    readonly optimizer: AnyOptimizer,
    lastEpoch = -1,
    protected readonly verbose = false,
  ) {
    super();
    const name = new.target.name;
    if (!optimizer || !Array.isArray(optimizer.paramGroups))
      throw new TypeError(`${name}: the first argument is not an Optimizer`);
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1)
      throw new RangeError(`${name}: lastEpoch must be an integer >= -1, got ${lastEpoch}`);
    let initial = initialLrs.get(optimizer);
    if (lastEpoch === -1 && initial?.length !== optimizer.paramGroups.length) {
      initial = optimizer.paramGroups.map((g) => g.lr);
      initialLrs.set(optimizer, initial);
    }
    if (initial === undefined)
      throw new Error(
        `${name}: param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer (build the scheduler with lastEpoch -1, then loadStateDict)`,
      );
    this.baseLrs = [...initial];
    this.lastEpoch = lastEpoch;
  }

  /** The rates of the next step, from the current ones (PyTorch's `get_lr`). */
  protected abstract getLr(): number[];

  /** The rates at `lastEpoch` computed directly, where the scheduler has such a form. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** The step the constructor takes to epoch 0's rates (SequentialLR takes it again for its first scheduler). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances one epoch (or batch) and sets each group's learning rate.
   * @pytorch `torch.optim.lr_scheduler._LRScheduler.step`
   */
  step(...epoch: unknown[]): void {
    if (epoch.length > 0)
      throw new TypeError(
        `${className(this)}.step: not supported: an epoch argument (deprecated in PyTorch); call step() once per epoch`,
      );
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** Jumps to `epoch` (what SequentialLR does at a milestone, PyTorch's `step(epoch)`). */
  stepTo(epoch: number): void {
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr() ?? this.getLr());
  }

  protected apply(lrs: number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
      if (this.verbose) console.log(`Adjusting learning rate of group ${i} to ${scientific(lrs[i])}.`);
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The current learning rates of the groups. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Checks a PyTorch option that must be a positive integer. */
export function positiveInteger(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: Expected positive integer ${name}, but got ${v}`);
  return v;
}

/** Checks a multiplicative factor in [0, 1]. */
export function factorIn01(where: string, what: string, v: number): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${where}: ${what} expected to be between 0 and 1, got ${v}`);
  return v;
}
