// Work written as a generator that yields between its steps: run through at once (Node's sync
// API), or a slice at a time with the event loop let in between (a page stays responsive).

/** Runs `steps` to the end and returns its result. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Lets the event loop run: rendering, input and the page's timers. A message task, not
 * `scheduler.yield()`, whose continuations go ahead of timers and would starve the page's own.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** Runs `steps` to the end, yielding to the event loop whenever a slice has run for `sliceMs`. */
export async function drainAsync<T>(steps: Generator<void, T>, sliceMs = 20): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}
