// The dashboard page's script (served as compiled, run by the browser): follows each run's
// live.jsonl (or, for a run trained before there was one, its history.json and metrics.json)
// and draws its loss, accuracy, learning rate and speed, and the pictures it has written.
import { liveChart } from '../viz/live_chart.js';
import { escapeXml as escape } from '../viz/svg.js';
import { applyLines, emptyLiveRun, liveRunFromFiles, type LiveRun } from './live_state.js';
import type { RunListing } from './run_folder.js';

/** What the page knows of a run. */
interface RunState extends LiveRun {
  name: string;
  listing: RunListing;
  offset: number;
  /** No live.jsonl: the numbers came from history.json and metrics.json. */
  fromHistory: boolean;
  drawn: string;
  card: HTMLElement | null;
}

const POLL_MS = 1000;
const runs = new Map<string, RunState>();
const $ = (id: string) => document.getElementById(id)!;
const runUrl = (run: RunState, file: string) => `/runs/${encodeURIComponent(run.name)}/${encodeURIComponent(file)}`;

async function followEvents(run: RunState): Promise<void> {
  const res = await fetch(`${runUrl(run, 'live.jsonl')}?from=${run.offset}`);
  if (res.status === 404) {
    if (run.batches.length === 0) await readHistory(run);
    return;
  }
  if (!res.ok) throw new Error(`live.jsonl: HTTP ${res.status}`);
  // The file was replaced: start over.
  if (Number(res.headers.get('x-offset')) !== run.offset) Object.assign(run, emptyLiveRun());
  run.offset = Number(res.headers.get('x-next-offset'));
  applyLines(run, await res.text());
}

async function readHistory(run: RunState): Promise<void> {
  const get = async (file: string) => {
    const res = await fetch(runUrl(run, file));
    return res.ok ? ((await res.json()) as Record<string, unknown>) : null;
  };
  const [h, m, cfg] = await Promise.all([get('history.json'), get('metrics.json'), get('config.json')]);
  if (!h) return;
  Object.assign(run, liveRunFromFiles(h, m, cfg), { fromHistory: true });
}

function status(run: RunState): 'training' | 'finished' | 'failed' | 'stopped' {
  if (run.error) return 'failed';
  if (run.end) return 'finished';
  return run.listing.training ? 'training' : 'stopped';
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The numbers a run's card and row show. */
function figures(run: RunState) {
  const tests = [...run.tests.values()].sort((a, b) => a.epoch - b.epoch);
  const last = run.batches.at(-1);
  const speeds = run.batches.flatMap((b) => (b.samplesPerS === null ? [] : [b.samplesPerS]));
  const seconds = run.end
    ? run.end.trainTimeS
    : run.start && last && last.time > 0
      ? (last.time - run.start.time) / 1000
      : null;
  return {
    tests,
    accuracy: run.end?.accuracy ?? tests.at(-1)?.accuracy ?? null,
    epoch: last && !run.fromHistory ? `${last.epoch}/${run.start?.epochs ?? '?'}` : (run.start?.epochs ?? '–'),
    samplesPerS: median(speeds.slice(-20)),
    seconds,
  };
}

const fmt = (v: number | null, digits = 0, unit = '') =>
  v === null || !Number.isFinite(v)
    ? '–'
    : `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`;

function chart(title: string, svg: string): string {
  return `<div class="chart" data-chart="${title}">${svg}</div>`;
}

function drawCard(run: RunState): void {
  const f = figures(run);
  const xMax = run.start && run.start.trainSize ? run.start.epochs * run.start.trainSize : undefined;
  const xs = run.batches.map((b) => b.examples);
  const x = { xLabel: 'training examples seen', ...(xMax ? { xMax } : {}) };
  const parts = [
    chart(
      'loss',
      liveChart(
        [
          { name: 'Train Loss', xs, ys: run.batches.map((b) => b.loss), color: '#1f77b4' },
          {
            name: 'Test Loss',
            xs: f.tests.map((t) => t.examples),
            ys: f.tests.map((t) => t.loss),
            color: 'red',
            points: true,
          },
        ],
        { ...x, yLabel: 'loss' },
      ),
    ),
  ];
  if (f.tests.length > 0)
    parts.push(
      chart(
        'accuracy',
        liveChart(
          [
            {
              name: 'Test accuracy',
              xs: f.tests.map((t) => t.examples),
              ys: f.tests.map((t) => t.accuracy),
              color: '#2ca02c',
            },
          ],
          { ...x, yLabel: 'accuracy (%)', height: 200, yMin: Math.min(...f.tests.map((t) => t.accuracy)) },
        ),
      ),
    );
  const rates = run.batches.map((b) => b.lr ?? NaN);
  if (new Set(rates.filter(Number.isFinite)).size > 1)
    parts.push(
      chart(
        'lr',
        liveChart([{ name: 'learning rate', xs, ys: rates, color: '#9467bd' }], {
          ...x,
          yLabel: 'learning rate',
          height: 170,
        }),
      ),
    );
  const speed = run.batches.map((b) => b.samplesPerS ?? NaN);
  if (speed.some(Number.isFinite))
    parts.push(
      chart(
        'speed',
        liveChart([{ name: 'samples/s', xs, ys: speed, color: '#ff7f0e' }], { ...x, yLabel: 'samples/s', height: 170 }),
      ),
    );
  const pictures = run.listing.pictures.filter((p) => !p.file.startsWith('curve') && !p.file.startsWith('loss'));
  const s = status(run);
  const html = `
    <h2>${escape(run.name)} <span class="status ${s}">${s}</span></h2>
    <p class="what">${escape(run.start ? `${run.start.model} on ${run.start.dataset}` : 'no log yet')}${run.error ? ` — ${escape(run.error)}` : ''}</p>
    <div class="figures">
      <span>test accuracy <b data-figure="accuracy">${fmt(f.accuracy, 2, '%')}</b></span>
      <span>epoch <b>${f.epoch}</b></span>
      <span>samples/s <b data-figure="speed">${fmt(f.samplesPerS)}</b></span>
      <span>time <b>${fmt(f.seconds, 1, ' s')}</b></span>
    </div>
    ${run.batches.length === 0 ? '<p class="empty">Waiting for the first logged batch…</p>' : parts.join('')}
    <div class="pictures">${pictures
      .map((p) => `<img alt="${escape(p.file)}" src="${runUrl(run, p.file)}?v=${p.mtimeMs}">`)
      .join('')}</div>`;
  if (html === run.drawn) return;
  run.drawn = html;
  if (!run.card) {
    run.card = document.createElement('section');
    run.card.className = 'run';
    run.card.dataset.run = run.name;
    $('runs').append(run.card);
  }
  run.card.innerHTML = html;
}

function drawSummary(): void {
  const rows = [...runs.values()].map((run) => {
    const f = figures(run);
    return `<tr data-run="${escape(run.name)}"><td>${escape(run.name)}</td><td>${escape(run.start?.model ?? '')}</td><td>${escape(run.start?.dataset ?? '')}</td><td>${status(run)}</td><td>${f.epoch}</td><td class="num">${fmt(f.accuracy, 2, '%')}</td><td class="num">${fmt(f.samplesPerS)}</td><td class="num">${fmt(f.seconds, 1, ' s')}</td></tr>`;
  });
  $('summary').querySelector('tbody')!.innerHTML = rows.join('');
  const n = runs.size;
  $('subtitle').textContent =
    n === 0
      ? 'No runs here yet: torchlit train --out DIR writes one.'
      : `${n} run${n === 1 ? '' : 's'}, updated every second`;
}

async function poll(): Promise<void> {
  try {
    const listing = (await (await fetch('/api/runs')).json()) as RunListing[];
    for (const l of listing) {
      const run = runs.get(l.name) ?? {
        ...emptyLiveRun(),
        name: l.name,
        listing: l,
        offset: 0,
        fromHistory: false,
        drawn: '',
        card: null,
      };
      run.listing = l;
      runs.set(l.name, run);
      if (!run.fromHistory) await followEvents(run);
      drawCard(run);
    }
    drawSummary();
    $('notice').classList.remove('shown');
  } catch (e) {
    $('notice').textContent =
      `The dashboard's server does not answer (${(e as Error).message}): showing the runs as last seen.`;
    $('notice').classList.add('shown');
  }
  setTimeout(() => void poll(), POLL_MS);
}

/** What the tests read. */
(window as unknown as { dashboard: unknown }).dashboard = {
  runs: () =>
    [...runs.values()].map((r) => ({
      name: r.name,
      status: status(r),
      losses: r.batches.map((b) => b.loss),
      tests: [...r.tests.values()].map((t) => t.accuracy),
      accuracy: figures(r).accuracy,
    })),
};
void poll();
