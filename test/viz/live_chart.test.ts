import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveChart, niceTicks } from '../../src/viz/live_chart.js';

const numbers = (svg: string, tag: string, attr: string) =>
  [...svg.matchAll(new RegExp(`<${tag}[^>]* ${attr}="([^"]+)"`, 'g'))].map((m) => m[1]);

describe('liveChart', () => {
  it('ticks at 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual(niceTicks(0, 2.35), [0, 0.5, 1, 1.5, 2]);
    assert.deepEqual(niceTicks(0, 120000), [0, 50000, 100000]);
    assert.deepEqual(niceTicks(11.37, 98.2), [20, 40, 60, 80]);
    assert.deepEqual(niceTicks(3, 3), [3]);
  });

  it('draws lines and points in the plot area, skipping NaN, with labelled axes', () => {
    const svg = liveChart(
      [
        { name: 'Train Loss', xs: [0, 50, 100], ys: [2, NaN, 1], color: '#1f77b4' },
        { name: 'Test Loss', xs: [0, 100], ys: [2.2, 0.9], color: 'red', points: true },
      ],
      { xLabel: 'examples <seen>', yLabel: 'loss', width: 400, height: 200 },
    );
    const points = numbers(svg, 'polyline', 'points')[0].split(' ');
    assert.equal(points.length, 2, 'the NaN is left out');
    const [x0, y0] = points[0].split(',').map(Number);
    const [x1, y1] = points[1].split(',').map(Number);
    assert.equal(x0, 52, 'x = 0 at the left edge of the plot');
    assert.equal(x1, 388, 'x = 100 at the right edge');
    assert.ok(y1 > y0, 'a lower loss is drawn lower');
    assert.equal(numbers(svg, 'circle', 'cx').length, 2);
    assert.match(svg, /examples &lt;seen&gt;/);
    assert.match(svg, />Test Loss</);
  });

  it('gives a single value a band of distinct ticks', () => {
    const svg = liveChart([{ name: 'acc', xs: [0], ys: [11.37], color: 'green', points: true }], {
      xLabel: 'x',
      yLabel: 'y',
      yMin: 11.37,
    });
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    assert.ok(labels.length >= 2);
    assert.equal(new Set(labels).size, labels.length, `distinct labels: ${labels.join(', ')}`);
  });
});
