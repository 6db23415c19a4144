// A helper thread's life: instantiates the kernels over the shared memory, then runs the jobs the
// main thread posts in the control block (see threads.ts) until the process ends. Kernel jobs call
// a WebAssembly export; plan jobs replay a traced training step on this thread's half of a batch.
import { createWasmBackend } from './backend.js';
import { WasmKernels } from './kernels.js';
import {
  ARGS,
  DONE,
  ERROR,
  FAILED,
  HELPER_SPIN_MS,
  JOBS,
  OPCODE,
  RUNNING,
  SEQ,
  STATE,
  type HelperData,
} from './protocol.js';
import { bindOps, decodeArg, runOps, type BoundOp, type EncodedOp } from './replay.js';
import { abortSplit, splitBatchNorm, SPLIT_OUTPUTS } from './split_batchnorm.js';

/** Runs the helper's loop on this thread; never returns. */
export function runHelper({ module, memory, control }: HelperData): never {
  const ctrl = new Int32Array(control, 0, ARGS);
  const args = new Float64Array(control, ARGS * 4);
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch (e) {
    console.error('torchlit: the helper thread could not start:', e);
    Atomics.store(ctrl, STATE, FAILED);
    Atomics.notify(ctrl, DONE);
    throw e;
  }
  const exports = instance.exports as Record<string, (...args: number[]) => void>;
  const plans: { kernels: WasmKernels; base: number; ops: BoundOp[]; barriers: Int32Array[] }[] = [];

  /** Reads a plan's JSON from memory; its arrays sit `delta` bytes above the recorded ones, temporaries from `base`. */
  const loadPlan = (ptr: number, bytes: number, delta: number, base: number): void => {
    const json = new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, bytes).slice());
    const kernels = WasmKernels.attach(module, instance, memory, base);
    const encoded = JSON.parse(json) as EncodedOp[];
    const split = splitBatchNorm(kernels, { side: 1, delta });
    // A split batch norm's last argument is the step's barrier.
    const barriers = encoded
      .filter((op) => op.method in SPLIT_OUTPUTS)
      .map((op) => decodeArg(kernels, op.args[op.args.length - 1], delta) as Int32Array);
    plans.push({
      kernels,
      base,
      ops: bindOps(encoded, createWasmBackend(kernels, false), kernels, delta, split),
      barriers,
    });
  };

  const runPlan = (index: number): void => {
    const plan = plans[index];
    plan.kernels.release(plan.base);
    try {
      runOps(plan.ops);
    } catch (e) {
      for (const b of plan.barriers) abortSplit(b);
      throw e;
    }
  };

  const js: Record<string, (...args: number[]) => void> = { loadPlan, runPlan };
  const jobs = JOBS.map((name) => js[name] ?? exports[name]);

  let seen = 0;
  Atomics.store(ctrl, STATE, RUNNING);
  for (;;) {
    const idleSince = performance.now();
    let polls = 0;
    while (Atomics.load(ctrl, SEQ) === seen) {
      if (++polls % 1024 === 0 && performance.now() - idleSince > HELPER_SPIN_MS) Atomics.wait(ctrl, SEQ, seen);
    }
    seen = Atomics.load(ctrl, SEQ);
    try {
      const fn = jobs[ctrl[OPCODE]];
      fn(...Array.from(args.subarray(0, fn.length)));
      ctrl[ERROR] = 0;
    } catch (e) {
      console.error(e);
      ctrl[ERROR] = 1;
    }
    Atomics.store(ctrl, DONE, seen);
    Atomics.notify(ctrl, DONE);
  }
}
