/** The breakpoint page draws its charts from the steps: one point per step, scaled to the axes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { svgChart } from '../src/breakpoint/html.js';

function points(svg: string, series: string): [number, number][] {
  const m = new RegExp(`data-series="${series}" points="([^"]*)"`).exec(svg);
  assert.ok(m, `no ${series} line`);
  return m[1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
}

test('a chart puts the largest value at the top of the plot and 0 at the axis, rates left to right', () => {
  const svg = svgChart('Latency', 'offered', 'ms', [{ name: 'p99', color: '#c00', points: [[100, 5], [200, 10], [300, 100]] }]);
  const p = points(svg, 'p99');
  assert.equal(p.length, 3);
  assert.ok(p[0]![0] < p[1]![0] && p[1]![0] < p[2]![0]);
  assert.equal(p[2]![1], 24); // the top padding: the highest p99
  assert.ok(p[0]![1] > p[1]![1] && p[1]![1] > p[2]![1]);
  assert.match(svg, />100</);
});

test('names and labels are escaped', () => {
  const svg = svgChart('<b>', 'x', 'y', [{ name: 'a"b<', color: '#000', points: [[1, 1]] }]);
  assert.ok(!svg.includes('<b>') && !svg.includes('a"b<'));
});
