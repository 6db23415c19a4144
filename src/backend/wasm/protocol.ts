// The control block shared by the main thread and its helper: Int32 slots, then Float64 arguments.
export const SEQ = 0;
export const DONE = 1;
export const OPCODE = 2;
export const ERROR = 3;
/** The helper's life: STARTING until its loop runs, then RUNNING; FAILED when it could not start. */
export const STATE = 4;
export const STARTING = 0;
export const RUNNING = 1;
export const FAILED = 2;
/** Int32 slots before the arguments (keeps them 8-byte aligned). */
export const ARGS = 6;
/** How long a job waits for a helper that has not started before it gives up. */
export const START_TIMEOUT_MS = 60_000;
export const MAX_ARGS = 24;
/**
 * How long the main thread polls for the helper's half before it sleeps. Its own half usually
 * ends within a fraction of a millisecond of the helper's; waking from a sleep took 0.1 to 1 ms
 * (a tenth of a TinyVGG step) when it gave up after 20,000 polls.
 */
export const MAIN_SPIN_MS = 20;
/**
 * How long an idle helper keeps polling before it sleeps. Waking a sleeping thread costs 40-80 us
 * (sometimes 400), polling a few; between the kernels of a training step the main thread works
 * for well under this, so during training the helper never sleeps.
 */
export const HELPER_SPIN_MS = 3;
/** The kernel exports a helper can run, by opcode. */
export const JOBS = [
  'convForwardRange',
  'convBackwardInputRange',
  'convBackwardWeightRange',
  'convDirectRange',
  'convWinogradRange',
  'convWinogradWeightRange',
  'packWinogradWeights',
  'convBackwardInputDirectRange',
  'convWeightDirectRange',
  'loadPlan',
  'runPlan',
  'batchNormStatsRange',
  'batchNormApplyRange',
  'batchNormBackwardRange',
  'relu',
  'binary',
  'maxPoolForward',
  'maxPoolBackward',
] as const;
export type Job = (typeof JOBS)[number];

/** What a helper thread is given when it starts. */
export interface HelperData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}
