// Class names survive minification only as export names: torchlit's classes are named after the
// keys they are exported under, so printing, errors and checkpoints say `Conv2d`, not `gA`.

/** The name of `obj`'s class as PyTorch prints it: its class's own `static typeName`, else the class's name. */
export function className(obj: object): string {
  const ctor = obj.constructor as { typeName?: unknown; name: string };
  return Object.hasOwn(ctor, 'typeName') && typeof ctor.typeName === 'string' ? ctor.typeName : ctor.name;
}

/** Gives every class exported from `namespace` (and the namespaces inside it) its export name as `typeName`. */
export function nameClasses(namespace: object, seen = new Set<object>()): void {
  if (seen.has(namespace)) return;
  seen.add(namespace);
  for (const [key, value] of Object.entries(namespace) as [string, unknown][]) {
    if (typeof value === 'function' && /^[A-Z]/.test(key) && !Object.hasOwn(value, 'typeName')) {
      Object.defineProperty(value, 'typeName', { value: key });
    } else if (typeof value === 'object' && value !== null && /^[a-z_]+$/.test(key)) {
      nameClasses(value, seen);
    }
  }
}
