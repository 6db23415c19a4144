/**
 * The regular files of a tar archive (ustar, with GNU long names and pax paths), by path. Paths
 * that climb out of the archive (`..`, absolute) are refused; `name` is used in errors.
 */
export function readTar(bytes: Uint8Array, name: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const ascii = new TextDecoder('latin1');
  const field = (at: number, length: number) => ascii.decode(bytes.subarray(at, at + length)).replace(/\0.*$/s, '');
  let at = 0;
  let longName: string | null = null;
  while (at + 512 <= bytes.length) {
    if (bytes.subarray(at, at + 512).every((b) => b === 0)) return files;
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`${name}: broken tar header at byte ${at}`);
    const type = String.fromCharCode(bytes[at + 156] || 0x30);
    const prefix = field(at + 257, 6) === 'ustar' ? field(at + 345, 155) : '';
    const start = at + 512;
    if (start + size > bytes.length) throw new Error(`${name}: truncated inside ${field(at, 100)}`);
    const body = bytes.subarray(start, start + size);
    let path = longName ?? (prefix ? `${prefix}/${field(at, 100)}` : field(at, 100));
    longName = null;
    if (type === 'L') longName = ascii.decode(body).replace(/\0.*$/s, '');
    else if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(body));
      if (m) longName = m[1];
    } else if (type === '0' || type === '7') {
      path = path.replace(/^\.\//, '');
      if (path.startsWith('/') || path.split('/').includes('..'))
        throw new Error(`${name}: refusing the entry ${path}, which points outside the archive`);
      files.set(path, body);
    }
    at = start + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name}: truncated tar archive (no end-of-archive blocks)`);
}
