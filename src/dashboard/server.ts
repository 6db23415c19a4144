// The dashboard's server: 127.0.0.1 only, GET and HEAD only, the page's own scripts and the listed
// runs' chart data and pictures; every other URL, whatever its encoding, is a 404.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dashboardPage } from './page.js';
import { RunFolder } from './run_folder.js';
import { UsageError } from '../run/usage_error.js';

/** The page's scripts, by URL: the client and the chart module it imports, as compiled. */
const SCRIPTS: Record<string, URL> = {
  '/dashboard/client.js': new URL('./client.js', import.meta.url),
  '/dashboard/live_state.js': new URL('./live_state.js', import.meta.url),
  '/viz/live_chart.js': new URL('../viz/live_chart.js', import.meta.url),
  '/viz/svg.js': new URL('../viz/svg.js', import.meta.url),
};

const TYPES: Record<string, string> = {
  json: 'application/json',
  jsonl: 'application/jsonl; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
};

/** A running dashboard. */
export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/** How `serveDashboard` serves. */
export interface DashboardOptions {
  /** A run directory or a folder of them. */
  root: string;
  /** 0 picks a free port. */
  port: number;
  /** The page's heading. */
  title?: string;
}

/** The path's segments, each decoded; null where one is not a plain name (`..`, a slash, NUL, bad encoding). */
export function pathSegments(rawUrl: string): string[] | null {
  const path = rawUrl.split(/[?#]/, 1)[0];
  if (!path.startsWith('/')) return null;
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (s === '.' || s === '..' || /[/\\\0]/.test(s)) return null;
    segments.push(s);
  }
  return segments;
}

/** Bytes `from` on of a file up to its last whole line, and where the next read starts. */
function linesFrom(path: string, from: number): { body: Buffer; start: number; next: number } {
  const size = statSync(path).size;
  const start = from <= size ? from : 0;
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(size - start);
    readSync(fd, bytes, 0, bytes.length, start);
    const end = bytes.lastIndexOf(0x0a) + 1;
    return { body: bytes.subarray(0, end), start, next: start + end };
  } finally {
    closeSync(fd);
  }
}

function handler(folder: RunFolder, title: string, port: () => number) {
  const page = dashboardPage(title);
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, head = false) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    });
    res.end(head ? undefined : body);
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const text = 'text/plain; charset=utf-8';
    const hosts = [`127.0.0.1:${port()}`, `localhost:${port()}`];
    if (!hosts.includes(req.headers.host ?? '')) return send(res, 403, text, 'unknown host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, text, 'read-only: GET and HEAD only\n');
    }
    const head = req.method === 'HEAD';
    const rawUrl = req.url ?? '/';
    const segments = pathSegments(rawUrl);
    const notFound = () => send(res, 404, text, 'not found\n', head);
    if (!segments) return notFound();
    const path = `/${segments.join('/')}`;
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', page, head);
    if (path === '/api/runs') return send(res, 200, TYPES.json, JSON.stringify(folder.list()), head);
    const script = SCRIPTS[path];
    if (script) return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(fileURLToPath(script)), head);
    if (segments.length !== 3 || segments[0] !== 'runs') return notFound();
    const file = folder.file(segments[1], segments[2]);
    if (!file) return notFound();
    const type = TYPES[file.slice(file.lastIndexOf('.') + 1)];
    if (!file.endsWith('.jsonl')) return send(res, 200, type, readFileSync(file), head);
    const from = Number(new URLSearchParams(rawUrl.split('?')[1] ?? '').get('from') ?? 0);
    const { body, start, next } = linesFrom(file, Number.isSafeInteger(from) && from > 0 ? from : 0);
    res.setHeader('x-offset', String(start));
    res.setHeader('x-next-offset', String(next));
    return send(res, 200, type, body, head);
  };
}

/** Serves the dashboard of the runs in `root` on 127.0.0.1. */
export function serveDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const folder = new RunFolder(opts.root);
  const server = createServer();
  const port = () => (server.address() as AddressInfo).port;
  server.on('request', handler(folder, opts.title ?? 'torchlit dashboard', port));
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UsageError(`port ${opts.port} is in use: choose another with --port (0 picks a free one)`)
          : e,
      ),
    );
    server.listen(opts.port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${port()}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
