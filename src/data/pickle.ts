// A reader for the pickles datasets ship (CIFAR's batches): dicts, lists, tuples, ints, floats,
// strings, bytes and numpy arrays, written by Python 2's cPickle or by Python 3. It is a data
// parser, not an unpickler: every other opcode and every global but numpy's array and dtype
// constructors is refused, so nothing in a file is ever run.

/** A numpy array read from a pickle: its dtype string (`'u1'`, `'i8'`, ...), shape and values. */
export interface NumpyArray {
  readonly kind: 'ndarray';
  dtype: string;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** The values a dataset pickle may hold; Python `bytes` and Python 2 `str` are Uint8Array. */
export type PickleValue =
  null | boolean | number | string | Uint8Array | PickleValue[] | PickleTuple | PickleDict | NumpyArray;

/** A Python tuple (its items may include the markers of numpy's constructors, which are inert). */
export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

/** A Python dict; keys that were bytes or Python 2 str are decoded as latin-1, as torchvision does. */
export class PickleDict {
  readonly entries = new Map<string | number, PickleValue>();

  /** The value under `key`, or undefined. */
  get(key: string): PickleValue | undefined {
    return this.entries.get(key);
  }
}

type Global = 'reconstruct' | 'ndarray' | 'dtype';
class GlobalRef {
  constructor(readonly name: Global) {}
}
class DtypeValue {
  order = '|';
  constructor(readonly code: string) {}
}
class Mark {}

type Item = PickleValue | GlobalRef | DtypeValue | Mark;

const GLOBALS: Record<string, Global> = {
  'numpy.core.multiarray._reconstruct': 'reconstruct',
  'numpy._core.multiarray._reconstruct': 'reconstruct',
  'numpy.ndarray': 'ndarray',
  'numpy.dtype': 'dtype',
};

const ARRAY_TYPES = {
  u1: { size: 1, make: (b: ArrayBuffer) => new Uint8Array(b) },
  b1: { size: 1, make: (b: ArrayBuffer) => new Uint8Array(b) },
  i1: { size: 1, make: (b: ArrayBuffer) => new Int8Array(b) },
  i2: { size: 2, make: (b: ArrayBuffer) => new Int16Array(b) },
  i4: { size: 4, make: (b: ArrayBuffer) => new Int32Array(b) },
  i8: { size: 8, make: (b: ArrayBuffer) => Float64Array.from(new BigInt64Array(b), Number) },
  f4: { size: 4, make: (b: ArrayBuffer) => new Float32Array(b) },
  f8: { size: 8, make: (b: ArrayBuffer) => new Float64Array(b) },
} as const;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a dataset pickle; `name` (the file) is used in every error. */
export function readPickle(bytes: Uint8Array, name: string): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Item[] = [];
  const memo = new Map<number, Item>();
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`${name}: ${why} (at byte ${at}); this is not a dataset pickle torchlit can read`);
  };
  const need = (n: number): number => {
    if (at + n > bytes.length) fail('truncated: the file ends inside a pickle record');
    const start = at;
    at += n;
    return start;
  };
  const pop = (): Item => (stack.length === 0 ? fail('stack underflow') : stack.pop()!);
  const popMark = (): Item[] => {
    let i = stack.length - 1;
    while (i >= 0 && !(stack[i] instanceof Mark)) i--;
    if (i < 0) fail('no MARK on the stack');
    const items = stack.splice(i);
    return items.slice(1);
  };
  const value = (item: Item): PickleValue => {
    if (item instanceof GlobalRef || item instanceof DtypeValue || item instanceof Mark)
      fail('a numpy constructor used as a value');
    return item as PickleValue;
  };
  const key = (item: Item): string | number => {
    if (typeof item === 'string' || typeof item === 'number') return item;
    if (item instanceof Uint8Array) return latin1.decode(item);
    return fail('a dict key that is not a string or an int');
  };
  const top = (): Item => (stack.length === 0 ? fail('stack underflow') : stack[stack.length - 1]);
  const text = (n: number, encoding: TextDecoder): string => {
    const start = need(n);
    try {
      return encoding.decode(bytes.subarray(start, start + n));
    } catch {
      return fail('a string that is not valid UTF-8');
    }
  };
  const raw = (n: number): Uint8Array => {
    const start = need(n);
    return bytes.subarray(start, start + n);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail('truncated: a text argument without its newline');
    const s = latin1.decode(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const length64 = (): number => {
    const n = view.getBigUint64(need(8), true);
    if (n > BigInt(bytes.length)) fail('a length beyond the end of the file');
    return Number(n);
  };

  while (true) {
    if (at >= bytes.length) fail('truncated: no STOP opcode');
    const op = bytes[at++];
    switch (op) {
      case 0x80: // PROTO
        need(1);
        break;
      case 0x95: // FRAME
        need(8);
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`${stack.length} values left on the stack at STOP`);
        return value(stack[0]);
      case 0x28: // MARK
        stack.push(new Mark());
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PickleDict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PickleTuple([]));
        break;
      case 0x74: // TUPLE
        stack.push(new PickleTuple(popMark() as PickleValue[]));
        break;
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1, TUPLE2, TUPLE3
        const n = op - 0x84;
        if (stack.length < n) fail('stack underflow');
        stack.push(new PickleTuple(stack.splice(stack.length - n) as PickleValue[]));
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark().map(value));
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new PickleDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.entries.set(key(items[i]), value(items[i + 1]));
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = value(pop());
        const list = top();
        if (!Array.isArray(list)) fail('APPEND to something that is not a list');
        (list as PickleValue[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark().map(value);
        const list = top();
        if (!Array.isArray(list)) fail('APPENDS to something that is not a list');
        for (const v of items) (list as PickleValue[]).push(v);
        break;
      }
      case 0x73:
      case 0x75: {
        // SETITEM, SETITEMS
        const items = op === 0x73 ? [pop(), pop()].reverse() : popMark();
        const d = top();
        if (!(d instanceof PickleDict)) fail('SETITEM on something that is not a dict');
        for (let i = 0; i + 1 < items.length; i += 2) (d as PickleDict).entries.set(key(items[i]), value(items[i + 1]));
        break;
      }
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        stack.push(bytes[need(1)]);
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16(need(2), true));
        break;
      case 0x8a: {
        // LONG1
        const n = bytes[need(1)];
        if (n > 8) fail(`an integer of ${n} bytes`);
        const b = raw(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x49: {
        // INT (protocol 0; I01/I00 are True/False)
        const s = line();
        if (s === '01' || s === '00') stack.push(s === '01');
        else if (/^-?\d+$/.test(s)) stack.push(Number(s));
        else fail(`a malformed INT ${JSON.stringify(s)}`);
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
      case 0x43: // SHORT_BINBYTES
        stack.push(raw(bytes[need(1)]));
        break;
      case 0x54: // BINSTRING
      case 0x42: {
        // BINBYTES
        const n = view.getInt32(need(4), true);
        if (n < 0) fail('a negative length');
        stack.push(raw(n));
        break;
      }
      case 0x8e: // BINBYTES8
        stack.push(raw(length64()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(bytes[need(1)], utf8));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(view.getUint32(need(4), true), utf8));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(length64(), utf8));
        break;
      case 0x71: // BINPUT
        memo.set(bytes[need(1)], top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(view.getUint32(need(4), true), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x68 ? bytes[need(1)] : view.getUint32(need(4), true);
        if (!memo.has(i)) fail(`memo entry ${i} was never stored`);
        stack.push(memo.get(i)!);
        break;
      }
      case 0x63: // GLOBAL
      case 0x93: {
        // STACK_GLOBAL
        let qualified: string;
        if (op === 0x63) qualified = `${line()}.${line()}`;
        else {
          const attr = pop();
          const mod = pop();
          if (typeof mod !== 'string' || typeof attr !== 'string') fail('STACK_GLOBAL without two strings');
          qualified = `${mod as string}.${attr as string}`;
        }
        const g = GLOBALS[qualified];
        if (!g)
          fail(
            `refusing the global ${qualified}: a dataset pickle holds only dicts, lists, numbers, strings, bytes and numpy arrays`,
          );
        stack.push(new GlobalRef(g));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!(fn instanceof GlobalRef) || !(args instanceof PickleTuple)) fail('REDUCE of something other than numpy');
        stack.push(reduce((fn as GlobalRef).name, (args as PickleTuple).items, fail));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = top();
        if (!(state instanceof PickleTuple)) fail('BUILD with a state that is not a tuple');
        if (obj instanceof DtypeValue) buildDtype(obj, (state as PickleTuple).items, fail);
        else if (isArray(obj)) buildArray(obj, (state as PickleTuple).items, fail);
        else fail('BUILD of something other than a numpy array or dtype');
        break;
      }
      default:
        fail(`refusing pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

function isArray(v: unknown): v is NumpyArray {
  return typeof v === 'object' && v !== null && (v as NumpyArray).kind === 'ndarray';
}

function reduce(fn: Global, args: PickleValue[], fail: (why: string) => never): Item {
  if (fn === 'reconstruct') {
    if (args.length !== 3) fail('numpy _reconstruct with odd arguments');
    return { kind: 'ndarray', dtype: '', shape: [], data: new Uint8Array(0) } satisfies NumpyArray;
  }
  if (fn === 'dtype') {
    const code = args[0] instanceof Uint8Array ? latin1.decode(args[0]) : args[0];
    if (typeof code !== 'string') fail('numpy dtype without a type code');
    return new DtypeValue(code);
  }
  return fail('numpy.ndarray called directly');
}

function buildDtype(d: DtypeValue, state: PickleValue[], fail: (why: string) => never): void {
  const order = state[1] instanceof Uint8Array ? latin1.decode(state[1]) : state[1];
  if (typeof order !== 'string') fail('numpy dtype state without a byte order');
  d.order = order;
}

function buildArray(a: NumpyArray, state: PickleValue[], fail: (why: string) => never): void {
  const [, shape, dtype, fortran, data] = state as unknown[];
  if (!(shape instanceof PickleTuple) || !shape.items.every((s) => typeof s === 'number' && s >= 0))
    fail('a numpy array without a shape');
  if (!(dtype instanceof DtypeValue)) fail('a numpy array without a dtype');
  if (!(data instanceof Uint8Array)) fail('a numpy array whose data is not bytes (an object array?)');
  const d = dtype;
  const kind = ARRAY_TYPES[d.code as keyof typeof ARRAY_TYPES];
  if (!kind) fail(`not supported: numpy arrays of dtype ${d.code}`);
  if (d.order === '>' && kind.size > 1) fail('not supported: big-endian numpy arrays');
  const dims = shape.items as number[];
  if (fortran === true && dims.length > 1) fail('not supported: Fortran-ordered numpy arrays');
  const count = dims.reduce((x, y) => x * y, 1);
  const bytes = data;
  if (bytes.length !== count * kind.size)
    fail(`a numpy array of shape (${dims.join(', ')}) with ${bytes.length} bytes of data, not ${count * kind.size}`);
  a.dtype = d.code;
  a.shape = dims;
  a.data = kind.size === 1 && d.code !== 'i1' ? bytes : kind.make(bytes.slice().buffer);
}
