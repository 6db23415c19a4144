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
  type HelperData,
  type Job,
} from './protocol.js';

type WorkerThreads = typeof import('node:worker_threads');
/** Starts a thread running the helper's loop over `data`; returns a way to watch it exit. */
type Spawn = (data: HelperData, onExit: (code: number) => void) => void;

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

  private constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    spawn: Spawn,
    /** A page's main thread cannot wait for a worker to start (it starts only once the page yields). */
    private readonly mustStartFirst = false,
  ) {
    const control = new (memory.buffer.constructor as SharedArrayBufferConstructor)(ARGS * 4 + MAX_ARGS * 8);
    this.ctrl = new Int32Array(control, 0, ARGS);
    this.args = new Float64Array(control, ARGS * 4, MAX_ARGS);
    spawn({ module, memory, control }, (code) => {
      this.exited = code;
    });
  }

  /**
   * A helper thread, or null where threads are unavailable or TORCHLIT_THREADS=1: a Node.js worker
   * thread, or in a cross-origin isolated page a module Web Worker.
   */
  static create(module: WebAssembly.Module, memory: WebAssembly.Memory): Helper | null {
    const threads = typeof process !== 'undefined' ? process.env?.TORCHLIT_THREADS : undefined;
    if (threads !== undefined && threads !== '1' && threads !== '2')
      throw new Error(`TORCHLIT_THREADS must be 1 or 2, got '${threads}'`);
    const shared = Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]';
    if (threads === '1') return null;
    if (workerThreads) return shared ? new Helper(module, memory, nodeSpawn(workerThreads)) : null;
    if (typeof Worker === 'undefined') return null;
    if (!globalThis.crossOriginIsolated || !shared) {
      warnNotIsolated();
      return null;
    }
    return new Helper(module, memory, webSpawn, true);
  }

  /** Whether jobs may be posted: always in Node.js (a job waits for the thread to start), in a page once it runs. */
  get available(): boolean {
    return !this.mustStartFirst || Atomics.load(this.ctrl, STATE) === RUNNING;
  }

  /** Resolves once the thread runs (true) or failed or took longer than `timeoutMs` to start (false), without blocking. */
  async started(timeoutMs = START_TIMEOUT_MS): Promise<boolean> {
    const since = performance.now();
    for (;;) {
      const state = Atomics.load(this.ctrl, STATE);
      if (state === RUNNING) return true;
      if (state === FAILED || this.exited !== null || performance.now() - since > timeoutMs) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
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
      // A page's main thread may not block: it polls on.
      if (mayBlock()) Atomics.wait(this.ctrl, DONE, seq - 1, 1000);
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

function nodeSpawn(wt: WorkerThreads): Spawn {
  return (workerData, onExit) => {
    // A worker inherits the process's flags; `--input-type` (node -e) would stop it loading its module file.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new wt.Worker(new URL('./worker.js', import.meta.url), { workerData, execArgv });
    worker.on('exit', onExit);
    worker.on('error', () => {
      // Reported by the worker itself on stderr; the next job names the failure.
    });
    worker.unref();
  };
}

function webSpawn(data: HelperData, onExit: (code: number) => void): void {
  const worker = new Worker(new URL('./web_worker.js', import.meta.url), { type: 'module', name: 'torchlit helper' });
  worker.addEventListener('error', (e) => {
    console.error('torchlit: the helper thread failed:', e.message);
    onExit(1);
  });
  worker.postMessage(data);
}

let blocking: boolean | undefined;

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
function mayBlock(): boolean {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

let warned = false;

/** Says once, in a page that is not cross-origin isolated, how to get the second thread. */
function warnNotIsolated(): void {
  if (warned) return;
  warned = true;
  console.warn(
    'torchlit: this page is not cross-origin isolated, so training runs on one thread (WebAssembly SIMD). ' +
      'Serve it with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
      '"Cross-Origin-Embedder-Policy: require-corp" for a second thread, about twice as fast.',
  );
}
