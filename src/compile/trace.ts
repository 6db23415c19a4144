import { backend, setBackend, type Backend, type Conv2dGeometry } from '../backend/index.js';
import type { WasmKernels } from '../backend/wasm/kernels.js';
import { arrayKind, viewAt, type BoundOp, type EncodedArg, type EncodedOp } from '../backend/wasm/replay.js';
import { SPLIT_OUTPUTS, type SplitMethod } from '../backend/wasm/split_batchnorm.js';
import { withFloatAllocator, type FloatAllocator, type Storage } from '../tensor/dtype.js';
import { observeLossDenominators } from '../autograd/loss_denominator.js';
import { refusingJavaScriptOps } from '../backend/javascript_ops.js';
import { observeRandomFills } from '../tensor/creation.js';
import type { Generator, GeneratorState } from '../tensor/generator.js';
import type { Tensor } from '../tensor/tensor.js';

/** Why a step cannot be replayed from a trace. */
export class TraceError extends Error {}

/** Why a step cannot be split between threads (it can still be traced whole, on one). */
export class WholeBatchError extends TraceError {}

/**
 * Calls whose results depend on every sample of the batch (a half batch would change them), with
 * the call a split step records instead, where the two threads meet to add their sums.
 */
const WHOLE_BATCH: Readonly<Record<string, SplitMethod>> = {
  batchNormStats: 'batchNormStatsSplit',
  batchNormBackward: 'batchNormBackwardSplit',
};

type Method = Exclude<keyof Backend, 'name'>;

/** Which arguments of each backend call it writes. */
const OUTPUTS: Record<Method, readonly number[]> = {
  fill: [0],
  copy: [1],
  copyStrided: [4],
  unary: [2],
  binary: [5],
  reduce: [5],
  matmul: [2],
  conv2dForward: [3],
  conv2dBackwardInput: [2],
  conv2dBackwardWeight: [2, 3],
  maxPool2dForward: [1, 2],
  maxPool2dBackward: [2],
  softmax: [1],
  softmaxBackward: [2],
  nllLoss: [2, 7],
  nllLossBackward: [2],
  indexSelect: [3],
  indexAdd: [0],
  scatterDim: [2],
  bincount: [1],
  gatherLookup: [4],
  sgdStep: [0, 2],
  adamStep: [0, 2, 3, 4],
  batchNormStats: [1, 2, 3, 4, 5],
  batchNormApply: [5],
  batchNormBackward: [5, 6, 7],
};

/** A dropout mask drawn during the trace: redrawn before every replay. */
export interface RandomFill {
  out: Float32Array | Float64Array;
  keep: number;
  generator: Generator;
  /** The generator's state before this draw during the trace. */
  before: GeneratorState;
}

export interface Trace<T> {
  result: T;
  /** The calls bound to the backend that ran them, for this thread. */
  ops: BoundOp[];
  /** The same calls for another thread. */
  encoded: EncodedOp[];
  randomFills: RandomFill[];
  /** The most bytes any call took for temporaries above the allocator's top. */
  scratchBytes: number;
  /** Multiply-adds in the matrix products and convolutions. */
  macs: number;
  /** The 0-d tensors the loss reported dividing by (see reportLossDenominator), in the region. */
  denominators: Float32Array[];
  /** How many calls of a split step take the whole batch's statistics from both threads. */
  sharedStatistics: number;
}

/** The multiply-adds of a matrix product or convolution call. */
function macsOf(method: Method, args: unknown[]): number {
  if (method === 'matmul') return (args[3] as number) * (args[4] as number) * (args[5] as number);
  const g = (
    method === 'conv2dBackwardInput'
      ? args[3]
      : method === 'conv2dForward' || method === 'conv2dBackwardWeight'
        ? args[4]
        : null
  ) as Conv2dGeometry | null;
  return g ? g.n * g.oc * g.c * g.kh * g.kw * g.oh * g.ow : 0;
}

/** Storage of every dtype from `kernels`' memory, kept until the caller releases it. */
export function traceAllocator(kernels: WasmKernels): FloatAllocator {
  return Object.assign((n: number) => kernels.f32(kernels.alloc(n), n), {
    int32: (n: number) => kernels.int32(kernels.alloc(n), n),
    float64: (n: number) => kernels.f64(kernels.alloc(2 * n), n),
    uint8: (n: number) => kernels.u8(kernels.alloc(Math.ceil(n / 4)), n),
  });
}

/** How a step is traced: in halves (one per thread) or whole, and the module buffers it may update. */
export interface TraceScope {
  parts: 1 | 2;
  /** Buffers (running statistics) a step may write in place (a split step: through its split calls); replays write them again. */
  state: readonly Storage[];
  /** For a split step: this thread's split calls and the barrier where the threads meet (outside the region). */
  split?: { calls: Record<SplitMethod, (...args: never[]) => void>; barrier: Int32Array };
}

/**
 * Runs `fn` on `inner`, recording every backend call it makes. Everything `fn` allocates comes
 * from `kernels`' memory at or above `regionStart`; arrays there are relocatable (another thread
 * replays the calls on its own copy of the region), arrays below it (parameters) are shared and
 * may only be read, except the scope's state in a whole-batch step, and arrays made in JavaScript
 * become constants copied into the region. Each dropout mask drawn is recorded too. Throws
 * TraceError where a call cannot be replayed, WholeBatchError where it cannot be split in halves.
 */
export function traceBackendCalls<T>(
  kernels: WasmKernels,
  inner: Backend,
  regionStart: number,
  fn: () => T,
  scope: TraceScope = { parts: 1, state: [] },
): Trace<T> {
  const ops: BoundOp[] = [];
  const encoded: EncodedOp[] = [];
  const randomFills: RandomFill[] = [];
  let scratchBytes = 0;
  let macs = 0;
  const inRegion = (a: ArrayBufferView) => kernels.owns(a) && a.byteOffset >= regionStart;
  const isState = (a: ArrayBufferView) =>
    scope.state.some((b) => b.buffer === a.buffer && b.byteOffset === a.byteOffset && b.byteLength === a.byteLength);

  const encode = (method: string, a: unknown, output: boolean, splitCall = false): [unknown, EncodedArg] => {
    if (a === undefined) return [a, { undefined: true }];
    if (!ArrayBuffer.isView(a)) return [a, { value: a }];
    const kind = arrayKind(a);
    if (!kind) throw new TraceError(`${method} was given a ${a.constructor.name}`);
    const length = (a as Storage).length;
    if (kernels.owns(a)) {
      const relocate = a.byteOffset >= regionStart;
      if (output && !relocate && isState(a)) {
        if (scope.parts === 2 && !splitCall)
          throw new WholeBatchError(`${method} updates a buffer in place (running statistics)`);
        return [a, { array: kind, ptr: a.byteOffset, length, relocate }];
      }
      if (output && !relocate)
        throw new TraceError(
          `${method} writes to a tensor that lives outside the step (a parameter or a buffer changed in forward or backward)`,
        );
      return [a, { array: kind, ptr: a.byteOffset, length, relocate }];
    }
    if (output) throw new TraceError(`${method} writes to an array outside WebAssembly memory`);
    const copy = viewAt(kernels, kind, kernels.alloc(Math.ceil(a.byteLength / 4)), length);
    copy.set(a as Storage);
    return [copy, { array: kind, ptr: copy.byteOffset, length, relocate: false }];
  };

  const record = (
    method: EncodedOp['method'],
    call: (...args: unknown[]) => void,
    args: unknown[],
    outputs: readonly number[],
  ) => {
    const splitCall = method in SPLIT_OUTPUTS;
    const pairs = args.map((a, i) => encode(method, a, outputs.includes(i), splitCall));
    const own = pairs.map((p) => p[0]);
    ops.push([call, own]);
    encoded.push({ method, args: pairs.map((p) => p[1]) });
    const top = kernels.mark();
    kernels.resetHighWater();
    call(...own);
    scratchBytes = Math.max(scratchBytes, kernels.highWater - top);
  };

  let sharedStatistics = 0;
  /** Records a whole-batch call of a split step as its split call, with sums of its own for the threads to add. */
  const recordSplit = (method: Method, args: unknown[]) => {
    const splitMethod = WHOLE_BATCH[method];
    if (!scope.split) throw new WholeBatchError(`${method} needs the statistics of the whole batch`);
    const floats = args.slice(0, method === 'batchNormStats' ? 5 : 8);
    if (!floats.every((a) => a === null || a instanceof Float32Array))
      throw new WholeBatchError(`${method} of float64 tensors cannot be split between threads`);
    const c = args[method === 'batchNormStats' ? 7 : 9] as number;
    const partials = kernels.f64(kernels.alloc(4 * c), 2 * c);
    sharedStatistics++;
    const call = scope.split.calls[splitMethod] as (...args: unknown[]) => void;
    record(splitMethod, call, [...args, partials, scope.split.barrier], SPLIT_OUTPUTS[splitMethod]);
  };

  const recorder = { name: `${inner.name} (recording)` } as Record<string, unknown>;
  for (const method of Object.keys(OUTPUTS) as Method[]) {
    const call = (inner[method] as (...args: unknown[]) => void).bind(inner);
    recorder[method] = (...args: unknown[]) => {
      // Evaluation-mode batch norm (fromVar) normalises each sample by itself.
      const fromVar = method === 'batchNormBackward' && args[12] === true;
      if (scope.parts === 2 && method in WHOLE_BATCH && !fromVar) return recordSplit(method, args);
      macs += macsOf(method, args);
      record(method, call, args, OUTPUTS[method]);
    };
  }

  const observe = (out: Storage, keep: number, generator: Generator) => {
    if (!(out instanceof Float32Array || out instanceof Float64Array) || !inRegion(out))
      throw new TraceError('a dropout mask was drawn outside the step');
    randomFills.push({ out, keep, generator, before: generator.getState() });
  };

  const previous = backend();
  setBackend(recorder as unknown as Backend);
  try {
    const denominators: Float32Array[] = [];
    const noteDenominator = (t: Tensor) => {
      const v = t.values();
      if (!(v instanceof Float32Array) || !inRegion(v) || t.numel() !== 1)
        throw new TraceError('the loss divides by a number made outside the step');
      denominators.push(v);
    };
    const refuse = (op: string) => {
      throw new TraceError(`${op} computes in JavaScript, which a replay would not repeat`);
    };
    const result = withFloatAllocator(traceAllocator(kernels), () =>
      refusingJavaScriptOps(refuse, () =>
        observeLossDenominators(noteDenominator, () => observeRandomFills(observe, fn)),
      ),
    );
    return { result, ops, encoded, randomFills, scratchBytes, macs, denominators, sharedStatistics };
  } finally {
    setBackend(previous);
  }
}
