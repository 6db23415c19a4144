// A helper thread: instantiates the kernels over the shared memory, then runs the jobs the main
// thread posts in the control block (see threads.ts) until the process ends.
import { parentPort, workerData } from 'node:worker_threads';
import { ARGS, DONE, ERROR, HELPER_SPIN_MS, JOBS, OPCODE, SEQ } from './protocol.js';

const { module, memory, control } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; control: SharedArrayBuffer };
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
const ctrl = new Int32Array(control, 0, ARGS);
const args = new Float64Array(control, ARGS * 4);
const jobs = JOBS.map((name) => exports[name]);

let seen = 0;
parentPort?.postMessage('ready');
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
  } catch {
    ctrl[ERROR] = 1;
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
