// The control block shared by the main thread and its helper: Int32 slots, then Float64 arguments.
export const SEQ = 0;
export const DONE = 1;
export const OPCODE = 2;
export const ERROR = 3;
/** Int32 slots before the arguments (keeps them 8-byte aligned). */
export const ARGS = 4;
export const MAX_ARGS = 24;
/** Polls of the flag before the main thread sleeps waiting for the helper's half. */
export const SPIN = 20000;
/**
 * How long an idle helper keeps polling before it sleeps. Waking a sleeping thread costs 40-80 us
 * (sometimes 400), polling a few; between the kernels of a training step the main thread works
 * for well under this, so during training the helper never sleeps.
 */
export const HELPER_SPIN_MS = 3;
/** The kernel exports a helper can run, by opcode. */
export const JOBS = ['convForwardRange', 'convBackwardInputRange', 'convBackwardWeightRange', 'convDirectRange', 'loadPlan', 'runPlan'] as const;
export type Job = (typeof JOBS)[number];
