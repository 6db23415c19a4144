// The dashboard's HTML: a summary table of the runs and a card per run, filled by client.js.
import { escapeXml } from '../viz/svg.js';

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5f6b7a; --line: #dde3ea; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: var(--ink); background: #f5f7fa; }
header { padding: 18px 24px 8px; }
h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: var(--muted); }
#notice { margin: 8px 24px; padding: 8px 12px; border-radius: 6px; background: #fff4d6; display: none; }
#notice.shown { display: block; }
main { padding: 8px 24px 32px; }
table { border-collapse: collapse; background: white; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 18px; width: fit-content; max-width: 100%; display: block; overflow-x: auto; }
th, td { padding: 6px 12px; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { font-weight: 600; color: var(--muted); font-size: 13px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
#runs { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 600px), 1fr)); gap: 18px; }
.run { background: white; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; min-width: 0; }
.run h2 { margin: 0; font-size: 17px; display: flex; gap: 10px; align-items: center; }
.run .what { color: var(--muted); margin: 2px 0 8px; }
.status { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 10px; background: #e8edf2; color: var(--muted); }
.status.training { background: #dff3e4; color: #1b7a3a; }
.status.finished { background: #e3eefa; color: #1f5f99; }
.status.failed { background: #fde2e1; color: #a12622; }
.figures { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-bottom: 6px; }
.figures b { font-variant-numeric: tabular-nums; }
.chart svg { width: 100%; height: auto; display: block; }
.pictures { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.pictures img { max-width: 100%; height: auto; max-height: 260px; border: 1px solid var(--line); border-radius: 4px; }
.empty { color: var(--muted); }
`;

/** The page; `title` names what it shows (a run or a folder of runs). */
export function dashboardPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeXml(title)}</h1><p id="subtitle">Loading runs…</p></header>
<div id="notice"></div>
<main>
<table id="summary"><thead><tr><th>run</th><th>model</th><th>dataset</th><th>status</th><th>epoch</th><th>test accuracy</th><th>samples/s</th><th>time</th></tr></thead><tbody></tbody></table>
<div id="runs"></div>
</main>
<script type="module" src="/dashboard/client.js"></script>
</body>
</html>
`;
}
