// Serves a folder on 127.0.0.1 with the two headers that make the page cross-origin isolated (two
// threads); only files inside the folder, whatever the URL (`/../`, encoded or not, gets 404).
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

/** The file a URL path names inside `root`, or null. */
export function fileIn(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(new URL(urlPath, 'http://x').pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const base = realpathSync(root);
  let file = resolve(base, `.${path}`);
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    file = realpathSync(file);
    if (!statSync(file).isFile()) return null;
  } catch {
    return null;
  }
  return file.startsWith(base + sep) ? file : null;
}

/** Serves `root`; resolves to the server and its URL. */
export function serveFolder(root, port = 0) {
  const server = createServer((req, res) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? fileIn(root, req.url ?? '/') : null;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((done) =>
    server.listen(port, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${server.address().port}/` })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? fileURLToPath(new URL('../dist/web', import.meta.url));
  const { url } = await serveFolder(root, Number(process.env.PORT ?? 8080));
  console.log(`The playground: ${url} (Ctrl-C to stop)`);
}
