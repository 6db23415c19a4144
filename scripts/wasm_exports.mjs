// Prints each export of dist/src/backend/wasm/kernels.wasm with its function index, to read CPU profiles
// (which name WebAssembly functions by index).
import { readFileSync } from 'node:fs';

const b = readFileSync(new URL('../dist/src/backend/wasm/kernels.wasm', import.meta.url));
let i = 8;
const leb = () => {
  let r = 0,
    s = 0,
    x;
  do {
    x = b[i++];
    r |= (x & 0x7f) << s;
    s += 7;
  } while (x & 0x80);
  return r;
};
while (i < b.length) {
  const id = b[i++];
  const end = leb() + i;
  if (id === 7) {
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      const name = b.subarray(i, i + len).toString();
      i += len;
      const kind = b[i++];
      const index = leb();
      if (kind === 0) console.log(index, name);
    }
  }
  i = end;
}
