// A run's live.jsonl: one JSON line per logged batch, test and milestone, appended as the run
// trains, so that a dashboard (in this process or another) can follow it by reading the file.
// A resumed run appends; its batches repeat steps already written, and readers keep the later ones.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchInfo, FitCallbacks } from '../train/fit_options.js';
import type { EvalResult } from '../train/evaluate.js';

export const LIVE_EVENTS = 'live.jsonl';

/** The lines of live.jsonl; `time` is milliseconds since 1970. */
export type LiveEvent =
  | {
      event: 'start';
      time: number;
      model: string;
      dataset: string;
      epochs: number;
      batchesPerEpoch: number;
      trainSize: number;
      testName: string;
    }
  | {
      event: 'batch';
      time: number;
      /** Batches trained in the run so far, this one included. */
      step: number;
      epoch: number;
      batch: number;
      /** Training examples seen before this batch, as the tutorial's curve counts them. */
      examples: number;
      loss: number;
      lr: number | null;
      /** Since the previous logged batch; null for the first of a process. */
      samplesPerS: number | null;
    }
  | {
      event: 'test';
      time: number;
      epoch: number;
      examples: number;
      loss: number;
      accuracy: number;
      correct: number;
      total: number;
    }
  | { event: 'end'; time: number; accuracy: number; trainTimeS: number }
  | { event: 'error'; time: number; message: string };

/** Appends events to `dir`'s live.jsonl. */
export class LiveEventLog {
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, LIVE_EVENTS);
  }

  write(e: LiveEvent): void {
    appendFileSync(this.path, `${JSON.stringify(e)}\n`);
  }

  /** Callbacks for `fit` that log each logged batch and each test. */
  callbacks(batchSize: number, trainSize: number): FitCallbacks {
    let last: { step: number; time: number } | null = null;
    return {
      onLog: (info: BatchInfo) => {
        const time = Date.now();
        const step = (info.epoch - 1) * info.batches + info.batch + 1;
        const samplesPerS =
          last && step > last.step && time > last.time
            ? ((step - last.step) * batchSize * 1000) / (time - last.time)
            : null;
        last = { step, time };
        this.write({
          event: 'batch',
          time,
          step,
          epoch: info.epoch,
          batch: info.batch,
          examples: info.seen + (info.epoch - 1) * info.datasetSize,
          loss: info.loss,
          lr: info.lr ?? null,
          samplesPerS: samplesPerS === null ? null : Math.round(samplesPerS),
        });
      },
      onTest: (epoch: number, r: EvalResult) => {
        this.write({
          event: 'test',
          time: Date.now(),
          epoch,
          examples: epoch * trainSize,
          loss: r.loss,
          accuracy: r.accuracy,
          correct: r.correct,
          total: r.total,
        });
      },
    };
  }
}
