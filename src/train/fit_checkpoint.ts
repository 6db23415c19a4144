import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Generator, GeneratorState } from '../tensor/generator.js';
import type { History } from './history.js';
import type { RunState, RunStateFields, writeRunCheckpoint } from './run_checkpoint.js';

/** Writes `fit`'s checkpoints into one directory, numbering them on from `serial`. */
export class FitCheckpointer {
  constructor(
    /** Writes the checkpoint files; null where there is no file system (then `dir` must be unset). */
    private readonly write: typeof writeRunCheckpoint | null,
    private readonly dir: string | undefined,
    private readonly model: Module,
    private readonly optimizer: Optimizer<object>,
    private readonly generators: readonly Generator[],
    private readonly batchesPerEpoch: number,
    private readonly config: Record<string, unknown> | undefined,
    private readonly extraState: () => Pick<RunStateFields, 'scheduler' | 'callbacks' | 'plan'>,
    private serial: number,
    private readonly onSaved: (state: RunState) => void,
  ) {}

  /** Saves where the run stands after `batchesDone` batches of epoch `epoch`; nothing without a directory. */
  save(
    epoch: number,
    batchesDone: number,
    epochComplete: boolean,
    epochStart: GeneratorState[],
    history: History,
    epochLossSum: number,
  ): void {
    if (!this.dir || !this.write) return;
    const state = this.write(
      this.dir,
      this.model,
      this.optimizer,
      {
        epoch,
        batchesDone,
        step: epoch === 0 ? 0 : (epoch - 1) * this.batchesPerEpoch + batchesDone,
        epochComplete,
        generators: this.generators.map((g) => g.getState()),
        epochStartGenerators: epochStart,
        history,
        epochLossSum,
        config: this.config,
        ...this.extraState(),
      },
      this.serial,
    );
    this.serial = state.serial;
    this.onSaved(state);
  }
}
