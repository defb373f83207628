/**
 * The dashboard's one HTML page, with uPlot (MIT) and its stylesheet read
 * from the installed package once at start and inlined: nothing is loaded
 * from the network, and the Content-Security-Policy the server sends allows
 * nothing but this page and its own /events.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ERROR_RATE_BANDS } from '@novaload/report';
import { PAGE_SCRIPT } from './page-script.js';

/** Only `</` could end an inline script or style early; a library file never needs it literally. */
const inline = (text: string): string => text.replace(/<\/(script|style)/gi, '<\\/$1');

function uplotFiles(): { js: string; css: string } {
  const dist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  return { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
}

const STYLE = `
:root { --ok: #2ea043; --warn: #d29922; --fail: #da3633; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; }
body { font: 14px/1.4 system-ui, sans-serif; color: var(--fg); margin: 0 auto; padding: 12px 20px; max-width: 1400px; }
header { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 20px; margin: 0; } h2 { font-size: 15px; margin: 4px 0; }
.conn { color: var(--muted); } .conn.live { color: var(--ok); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 8px; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
.tile .k { color: var(--muted); font-size: 12px; } .tile .v { font-size: 20px; font-variant-numeric: tabular-nums; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; min-width: 0; }
figcaption { font-weight: 600; } figcaption small { font-weight: normal; color: var(--muted); }
table { border-collapse: collapse; margin: 4px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: left; }
.ok, .band-normal, .verdict-pass { color: var(--ok); } .band-warning, .verdict-warn { color: var(--warn); } .fail, .band-critical, .verdict-fail { color: var(--fail); }
#report-link { font-weight: 600; }
`;

const TILES: [string, string][] = [
  ['requests', 'requests'], ['rps', 'requests/s'], ['success', 'success rate'], ['error-rate', 'error rate'], ['vus', 'active VUs'],
  ['dropped', 'dropped iterations'], ['p50', 'p50 (cumulative)'], ['p95', 'p95 (cumulative)'], ['p99', 'p99 (cumulative)'],
];

const CHARTS: [string, string, string][] = [
  ['chart-latency', 'Response time', 'p50/p95/p99 of each second (exact HDR merge), dashed: cumulative'],
  ['chart-throughput', 'Throughput', 'requests/s next to success rate'],
  ['chart-errors', 'Error rate', `against the runbook’s bands: normal < ${ERROR_RATE_BANDS.warning} %, warning ${ERROR_RATE_BANDS.warning}–${ERROR_RATE_BANDS.critical} %, critical > ${ERROR_RATE_BANDS.critical} %`],
  ['chart-load', 'Load', 'active VUs and dropped iterations per second'],
];

const TABLES: [string, string][] = [
  ['thresholds', 'Thresholds as they stand'], ['generator', 'Generator health'], ['endpoints', 'Requests'],
  ['sections', 'Scenarios of the run'], ['errors', 'Errors by kind'], ['agents', 'Agents'], ['earlier', 'Earlier in this command'],
];

/** The page, built once per dashboard (the library files read from disk once). */
export function dashboardPage(): string {
  const uplot = uplotFiles();
  const tiles = TILES.map(([id, k]) => `<div class="tile"><div class="k">${k}</div><div class="v" id="${id}">–</div></div>`).join('');
  const charts = CHARTS.map(([id, title, note]) => `<figure><figcaption>${title} <small>${note}</small></figcaption><div id="${id}"></div></figure>`).join('');
  const tables = TABLES.map(([id, title]) => `<section hidden><h2>${title}</h2><table id="${id}"></table></section>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>novaload live</title><style>${inline(uplot.css)}${STYLE}</style></head>
<body>
<header><h1 id="name">novaload</h1><span class="v" id="state">waiting for the first second…</span><span class="conn" id="conn">connecting…</span><a id="report-link" hidden>Save the final HTML report</a></header>
<div class="tiles">${tiles}</div>
<div class="row">${charts}</div>
<p class="conn">Tables: <span id="tables-at">–</span></p>
${tables}
<script type="application/json" id="bands">${JSON.stringify(ERROR_RATE_BANDS)}</script>
<script>${inline(uplot.js)}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>`;
}
