// The control block shared by the main thread and its helper: Int32 slots, then Float64 arguments.
export const SEQ = 0;
export const DONE = 1;
export const OPCODE = 2;
export const ERROR = 3;
/** Int32 slots before the arguments (keeps them 8-byte aligned). */
export const ARGS = 4;
export const MAX_ARGS = 24;
/** Polls of the flag before sleeping: a hand-off costs under a microsecond while both are busy. */
export const SPIN = 20000;
/** The kernel exports a helper can run, by opcode. */
export const JOBS = ['convForwardRange', 'convBackwardInputRange', 'convBackwardWeightRange', 'convDirectRange'] as const;
export type Job = (typeof JOBS)[number];
