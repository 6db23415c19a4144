// Ops that compute on tensor values in JavaScript (sorting, data-dependent indices) make no
// backend call a traced step could replay; they report themselves here, and a trace refuses them.

type Refusal = (op: string) => void;
let refusal: Refusal | null = null;

/** Says that `op` reads or writes tensor values in JavaScript; throws while a step is being traced. */
export function computesInJavaScript(op: string): void {
  refusal?.(op);
}

/** Runs `fn`, calling `refuse` for every op that computes in JavaScript meanwhile. */
export function refusingJavaScriptOps<T>(refuse: Refusal, fn: () => T): T {
  const prev = refusal;
  refusal = refuse;
  try {
    return fn();
  } finally {
    refusal = prev;
  }
}
