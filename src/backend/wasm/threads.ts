import {
  ARGS,
  DONE,
  ERROR,
  FAILED,
  JOBS,
  MAIN_SPIN_MS,
  MAX_ARGS,
  OPCODE,
  RUNNING,
  SEQ,
  START_TIMEOUT_MS,
  STATE,
  type Job,
} from './protocol.js';

type WorkerThreads = typeof import('node:worker_threads');

let workerThreads: WorkerThreads | null = null;
try {
  if (typeof process !== 'undefined' && process.versions?.node) workerThreads = await import('node:worker_threads');
} catch {
  workerThreads = null;
}

/**
 * A second thread over the same WebAssembly memory. `run` hands it one range of a job, does the
 * caller's own range, then waits: a fixed split, so results never depend on timing.
 */
export class Helper {
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;
  private seq = 0;
  private readonly created = performance.now();
  private exited: number | null = null;

  private constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, wt: WorkerThreads) {
    const control = new SharedArrayBuffer(ARGS * 4 + MAX_ARGS * 8);
    this.ctrl = new Int32Array(control, 0, ARGS);
    this.args = new Float64Array(control, ARGS * 4, MAX_ARGS);
    // A worker inherits the process's flags; `--input-type` (node -e) would stop it loading its module file.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new wt.Worker(new URL('./worker.js', import.meta.url), {
      workerData: { module, memory, control },
      execArgv,
    });
    worker.on('exit', (code) => {
      this.exited = code;
    });
    worker.on('error', () => {
      // Reported by the worker itself on stderr; the next job names the failure.
    });
    worker.unref();
  }

  /** A helper thread, or null where threads are unavailable or TORCHLIT_THREADS=1. */
  static create(module: WebAssembly.Module, memory: WebAssembly.Memory): Helper | null {
    const threads = typeof process !== 'undefined' ? process.env?.TORCHLIT_THREADS : undefined;
    if (threads !== undefined && threads !== '1' && threads !== '2')
      throw new Error(`TORCHLIT_THREADS must be 1 or 2, got '${threads}'`);
    if (!workerThreads || threads === '1') return null;
    return new Helper(module, memory, workerThreads);
  }

  /** Posts `job(...helperArgs)` to the helper, runs `own()` here, and returns when both are done. */
  run(job: Job, helperArgs: number[], own: () => void): void {
    if (this.exited !== null) throw this.dead(job, `it exited with code ${this.exited}`);
    this.ctrl[OPCODE] = JOBS.indexOf(job);
    this.args.set(helperArgs);
    const seq = ++this.seq;
    Atomics.store(this.ctrl, SEQ, seq);
    Atomics.notify(this.ctrl, SEQ);
    try {
      own();
    } finally {
      // Even when this thread's half throws (memory full), wait for the helper's: the next job
      // must not be posted while it still runs this one.
      this.wait(seq);
    }
    if (this.ctrl[ERROR]) throw new Error(`the helper thread failed running ${job}`);
  }

  /** Waits for the helper's half; a helper that failed to start, or never starts, is an error instead of a hang. */
  private wait(seq: number): void {
    let polls = 0;
    let since = 0;
    while (Atomics.load(this.ctrl, DONE) !== seq) {
      if (++polls % 1024 !== 0) continue;
      since ||= performance.now();
      if (performance.now() - since <= MAIN_SPIN_MS) continue;
      Atomics.wait(this.ctrl, DONE, seq - 1, 1000);
      const state = Atomics.load(this.ctrl, STATE);
      if (state === FAILED) throw this.dead(JOBS[this.ctrl[OPCODE]], 'it could not start (its error is above)');
      if (state !== RUNNING && performance.now() - this.created > START_TIMEOUT_MS)
        throw this.dead(JOBS[this.ctrl[OPCODE]], `it did not start within ${START_TIMEOUT_MS / 1000} s`);
    }
  }

  private dead(job: Job, why: string): Error {
    return new Error(`the helper thread cannot run ${job}: ${why}; TORCHLIT_THREADS=1 runs everything on this thread`);
  }
}
