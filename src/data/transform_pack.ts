// Transforms sent to a worker thread: their fields cloned, their classes named and restored on the
// other side. Only torchlit's own transform classes (and the tensors they hold) travel; a function
// (a Lambda, a custom class) cannot, and is refused by name.
import { Tensor } from '../tensor/tensor.js';
import * as transforms from './transforms.js';

type Constructor = abstract new (...args: never[]) => unknown;

const CLASSES = new Map<string, Constructor>(
  ([...Object.values(transforms), Tensor] as unknown[])
    .filter((v): v is Constructor => typeof v === 'function' && /^[A-Z]/.test(v.name))
    .map((c) => [c.name, c] as const),
);

/** A packed value: plain data, with class instances as `{ __class, fields }`. */
export type Packed = unknown;

/** `value` as data structured clone can carry; throws for what a worker could not rebuild. */
export function packTransform(value: unknown, where = 'transform'): Packed {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function')
      throw new RangeError(`DataLoader: not supported: numWorkers > 0 with a function in the ${where} (a Lambda?)`);
    return value;
  }
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => packTransform(v, `${where}[${i}]`));
  const ctor = value.constructor as Constructor | undefined;
  const fields: Record<string, Packed> = {};
  for (const [k, v] of Object.entries(value)) fields[k] = packTransform(v, `${where}.${k}`);
  if (ctor === Object || ctor === undefined) return { fields };
  if (CLASSES.get(ctor.name) !== ctor)
    throw new RangeError(
      `DataLoader: not supported: numWorkers > 0 with ${ctor.name} in the ${where}; workers rebuild torchlit's own transforms only`,
    );
  return { __class: ctor.name, fields };
}

/** The transform `packTransform` packed, with its classes restored. */
export function unpackTransform(packed: Packed): unknown {
  if (packed === null || typeof packed !== 'object' || ArrayBuffer.isView(packed)) return packed;
  if (Array.isArray(packed)) return packed.map(unpackTransform);
  const { __class, fields } = packed as { __class?: string; fields: Record<string, Packed> };
  const target = (__class ? Object.create(CLASSES.get(__class)!.prototype as object) : {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) target[k] = unpackTransform(v);
  return target;
}
