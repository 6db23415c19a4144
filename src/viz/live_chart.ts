// A small line chart as SVG text, cheap enough to redraw many times a second while a model
// trains (a Vega chart costs a page 50-150 ms). The playground and the dashboard draw with it.
import { escapeXml, FONT_STACK } from './svg.js';

/** One series: a line through its points, or points alone. */
export interface LiveSeries {
  name: string;
  xs: number[];
  ys: number[];
  color: string;
  points?: boolean;
}

/** The axes of a live chart. */
export interface LiveChartOptions {
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** The x axis runs to at least this (the run's length, so a curve grows into place). */
  xMax?: number;
  /** The y axis starts here unless a value is lower (0 by default). */
  yMin?: number;
}

/** Round steps for an axis from `lo` to `hi`: about five ticks at 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

function label(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** The chart as an `<svg>` element's text: axes with round ticks, the series, and a legend. */
export function liveChart(series: LiveSeries[], opts: LiveChartOptions): string {
  const [w, h] = [opts.width ?? 560, opts.height ?? 260];
  const [left, right, top, bottom] = [52, 12, 24, 40];
  const finite = (vs: number[]) => vs.filter(Number.isFinite);
  const xs = series.flatMap((s) => finite(s.xs));
  const ys = series.flatMap((s) => finite(s.ys));
  const xHi = Math.max(opts.xMax ?? 0, ...xs, 1e-9);
  let yLo = Math.min(opts.yMin ?? 0, ...ys);
  let yHi = Math.max(...ys, yLo);
  if (yHi - yLo <= 1e-9 * Math.max(1, Math.abs(yLo))) {
    // One value (or all equal): a band around it, so that the ticks differ.
    const pad = Math.max(Math.abs(yLo) * 0.05, 0.5);
    [yLo, yHi] = [yLo - pad, yHi + pad];
  }
  const xt = niceTicks(0, xHi);
  const yt = niceTicks(yLo, yHi);
  const [x1, y0, y1] = [Math.max(xHi, xt.at(-1)!), Math.min(yLo, yt[0]), Math.max(yHi, yt.at(-1)!)];
  const px = (x: number) => left + (x / x1) * (w - left - right);
  const py = (y: number) => h - bottom - ((y - y0) / (y1 - y0 || 1)) * (h - top - bottom);
  const f = (v: number) => v.toFixed(1);
  const parts = [
    `<rect width="100%" height="100%" fill="white"/>`,
    ...xt.map(
      (x) =>
        `<line x1="${f(px(x))}" y1="${top}" x2="${f(px(x))}" y2="${h - bottom}" stroke="#e6e6e6"/>` +
        `<text x="${f(px(x))}" y="${h - bottom + 14}" text-anchor="middle">${label(x)}</text>`,
    ),
    ...yt.map(
      (y) =>
        `<line x1="${left}" y1="${f(py(y))}" x2="${w - right}" y2="${f(py(y))}" stroke="#e6e6e6"/>` +
        `<text x="${left - 5}" y="${f(py(y) + 4)}" text-anchor="end">${label(y)}</text>`,
    ),
    `<rect x="${left}" y="${top}" width="${w - left - right}" height="${h - top - bottom}" fill="none" stroke="#888"/>`,
    `<text x="${f((left + w - right) / 2)}" y="${h - 6}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`,
    `<text transform="translate(13 ${f((top + h - bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel)}</text>`,
  ];
  series.forEach((s, k) => {
    const at = s.xs.flatMap((x, i) =>
      Number.isFinite(x) && Number.isFinite(s.ys[i]) ? [[px(x), py(s.ys[i])] as const] : [],
    );
    if (s.points) for (const [x, y] of at) parts.push(`<circle cx="${f(x)}" cy="${f(y)}" r="3.5" fill="${s.color}"/>`);
    else if (at.length > 0)
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${at.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}"/>`,
      );
    const lx = w - right - 8 - 110 * (series.length - 1 - k);
    parts.push(
      `<rect x="${lx - 100}" y="${top - 16}" width="10" height="10" fill="${s.color}"/>` +
        `<text x="${lx - 86}" y="${top - 7}">${escapeXml(s.name)}</text>`,
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" font-size="11" font-family="${FONT_STACK}">` +
    `${parts.join('')}</svg>`
  );
}
