// trainInWorker: `fit` in a module Web Worker, so the page's own thread only draws. The log lines,
// batches, tests and epochs stream back as they happen; the trained weights come back as bytes.
import { checkOptions } from '../util/options.js';
import type { EvalResult } from '../train/evaluate.js';
import type { BatchInfo } from '../train/fit_options.js';
import type { History } from '../train/history.js';
import {
  SPEC_KEYS,
  type FromWorker,
  type ToWorker,
  type WorkerTrainResult,
  type WorkerTrainSpec,
} from './worker_protocol.js';

export type { WorkerTrainSpec, WorkerTrainResult } from './worker_protocol.js';

/** What the page hears while the worker trains. */
export interface WorkerTrainHandlers {
  onLog?(line: string): void;
  onBatch?(info: BatchInfo): void;
  onTest?(epoch: number, result: EvalResult): void;
  onEpoch?(epoch: number, history: History): void;
}

/** A run in a worker: its outcome, and a way to stop it after the current batch. */
export interface WorkerRun {
  done: Promise<WorkerTrainResult>;
  stop(): void;
}

/**
 * Trains a zoo model in a Web Worker (`dist/src/train/train_worker.js`, next to this module; a
 * bundler keeps it as it keeps the helper thread's worker). In a cross-origin isolated page the
 * worker runs on two threads, the helper a worker of its own.
 */
export function trainInWorker(spec: WorkerTrainSpec, handlers: WorkerTrainHandlers = {}): WorkerRun {
  checkOptions('trainInWorker', spec, SPEC_KEYS);
  if (typeof spec.model !== 'string' || typeof spec.url !== 'string')
    throw new TypeError('trainInWorker: give model (a zoo name) and url (the folder of the IDX files)');
  const worker = new Worker(new URL('./train_worker.js', import.meta.url), { type: 'module', name: 'torchlit fit' });
  const url = new URL(spec.url, globalThis.location?.href).href;
  const send = (m: ToWorker) => worker.postMessage(m);
  const done = new Promise<WorkerTrainResult>((resolve, reject) => {
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`trainInWorker: the worker failed to start (${e.message || 'see the console'})`));
    };
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      switch (m.type) {
        case 'ready':
          send({ type: 'start', spec: { ...spec, url } });
          break;
        case 'log':
          handlers.onLog?.(m.line);
          break;
        case 'batch':
          handlers.onBatch?.(m.info);
          break;
        case 'test':
          handlers.onTest?.(m.epoch, m.result);
          break;
        case 'epoch':
          handlers.onEpoch?.(m.epoch, m.history);
          break;
        case 'done':
          worker.terminate();
          resolve(m.result);
          break;
        case 'error':
          worker.terminate();
          reject(new Error(`trainInWorker: ${m.message}`));
          break;
      }
    };
  });
  return { done, stop: () => send({ type: 'stop' }) };
}
