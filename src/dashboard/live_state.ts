// What a dashboard knows of a run, folded from its live.jsonl lines (or, for a run trained before
// live.jsonl, from its history.json and metrics.json). Runs in the page and in Node's tests.
import type { LiveEvent } from '../run/live_events.js';

export type StartEvent = Extract<LiveEvent, { event: 'start' }>;
export type BatchEvent = Extract<LiveEvent, { event: 'batch' }>;
export type TestEvent = Extract<LiveEvent, { event: 'test' }>;
export type EndEvent = Extract<LiveEvent, { event: 'end' }>;

/** A run's numbers so far. */
export interface LiveRun {
  start: StartEvent | null;
  /** The logged batches by step; a resumed run's repeated steps replace the earlier ones. */
  batches: BatchEvent[];
  /** Test results by epoch (0: before training). */
  tests: Map<number, TestEvent>;
  end: EndEvent | null;
  error: string | null;
}

export function emptyLiveRun(): LiveRun {
  return { start: null, batches: [], tests: new Map(), end: null, error: null };
}

export function applyEvent(run: LiveRun, e: LiveEvent): void {
  if (e.event === 'start') {
    run.start = e;
    run.end = null;
    run.error = null;
  } else if (e.event === 'batch') {
    let keep = run.batches.length;
    while (keep > 0 && run.batches[keep - 1].step >= e.step) keep--;
    run.batches.length = keep;
    run.batches.push(e);
  } else if (e.event === 'test') run.tests.set(e.epoch, e);
  else if (e.event === 'end') run.end = e;
  else run.error = e.message;
}

/** Applies each line of live.jsonl text; a line that is not JSON is skipped (a write in progress). */
export function applyLines(run: LiveRun, text: string): void {
  for (const line of text.split('\n')) {
    if (!line) continue;
    let e: LiveEvent;
    try {
      e = JSON.parse(line) as LiveEvent;
    } catch {
      continue;
    }
    applyEvent(run, e);
  }
}

type Json = Record<string, unknown> | null;

/** A finished run without live.jsonl, from its history.json, metrics.json and config.json. */
export function liveRunFromFiles(history: Json, metrics: Json, config: Json): LiveRun {
  const run = emptyLiveRun();
  if (!history) return run;
  const list = (k: string) => (Array.isArray(history[k]) ? (history[k] as number[]) : []);
  const [counter, losses, rates] = [list('trainCounter'), list('trainLosses'), list('learningRates')];
  const text = (...vs: unknown[]) => vs.find((v): v is string => typeof v === 'string') ?? '';
  run.start = {
    event: 'start',
    time: 0,
    model: text(config?.model, metrics?.model),
    dataset: text(config?.dataset, metrics?.dataset),
    epochs: Number(config?.epochs ?? 0),
    batchesPerEpoch: 0,
    trainSize: 0,
    testName: 'Test',
  };
  run.batches = counter.map((examples, i) => ({
    event: 'batch',
    time: 0,
    step: i + 1,
    epoch: 0,
    batch: 0,
    examples,
    loss: losses[i],
    lr: rates[i] ?? null,
    samplesPerS: null,
  }));
  list('testCounter').forEach((examples, i) =>
    run.tests.set(i, {
      event: 'test',
      time: 0,
      epoch: i,
      examples,
      loss: list('testLosses')[i],
      accuracy: list('testAccuracy')[i],
      correct: 0,
      total: 0,
    }),
  );
  if (metrics)
    run.end = { event: 'end', time: 0, accuracy: Number(metrics.testAccuracy), trainTimeS: Number(metrics.trainTimeS) };
  return run;
}
