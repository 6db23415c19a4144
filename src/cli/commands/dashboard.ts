import { serveDashboard } from '../../dashboard/server.js';
import { int, parse, UsageError } from '../args.js';

export const dashboardHelp = `usage: torchlit dashboard [DIR] [--port N]

Serves a live view of the runs in DIR (a folder of run directories, default runs, or one run
directory) on 127.0.0.1: each run's loss, test accuracy, learning rate and samples per second,
updated every second while it trains, its pictures once drawn, and a table of all of them side
by side. Runs started later appear by themselves. Read-only; only the runs' chart data and
pictures are served. Ctrl-C stops it.

options:
  --port N              the port (default 6006; 0 picks a free one)
  -h, --help            this help`;

/** The port of a dashboard: --port, or TensorBoard's 6006. */
export function dashboardPort(p: Parameters<typeof int>[0]): number {
  const port = int(p, 'port', 0) ?? 6006;
  if (port > 65535) throw new UsageError(`--port must be from 0 to 65535, got ${port}`);
  return port;
}

export async function dashboard(argv: string[]): Promise<number> {
  const p = parse(argv, { port: { type: 'string' } }, true);
  if (p.values.help) {
    console.log(dashboardHelp);
    return 0;
  }
  if (p.positionals.length > 1) throw new UsageError(`one folder of runs, not ${p.positionals.length}`);
  const root = p.positionals[0] ?? 'runs';
  const { url } = await serveDashboard({ root, port: dashboardPort(p), title: `torchlit dashboard: ${root}` });
  console.log(`Dashboard of ${root}: ${url} (Ctrl-C to stop)`);
  return 0;
}
