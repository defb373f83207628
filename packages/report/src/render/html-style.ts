/**
 * The HTML report's stylesheet, inlined so the file needs no network: system
 * fonts, the verdict and threshold colours (pass green, warning amber,
 * critical red, as the text report paints them), the runbook's error-rate
 * bands, and print-friendly charts.
 */

/** CSS for html.ts and the SVG drawn by html-charts.ts (series colours by class `s-*`, bands by `b-*`). */
export const PAGE_STYLE = `
:root { --ok: #1a7f37; --warn: #9a6700; --fail: #cf222e; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa;
  --p50: #0969da; --p95: #8250df; --p99: #cf222e; --rps: #0969da; --vus: #1a7f37; --drop: #bc4c00; --dist: #8250df; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
h1 { font-size: 22px; margin: 0 0 4px; word-break: break-word; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
header { display: flex; gap: 16px; align-items: flex-start; justify-content: space-between; }
.meta { color: var(--muted); margin: 0; word-break: break-all; }
.verdict { font-weight: 700; font-size: 18px; padding: 6px 16px; border-radius: 6px; color: #fff; white-space: nowrap; }
.verdict.pass { background: var(--ok); } .verdict.warn { background: var(--warn); } .verdict.fail { background: var(--fail); }
.notice { border-left: 4px solid var(--warn); background: #fff8c5; padding: 8px 12px; margin: 12px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 16px 0 0; }
.figure { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.figure dt { color: var(--muted); font-size: 12px; } .figure dd { margin: 2px 0 0; font-size: 17px; font-weight: 600; white-space: nowrap; }
.band-normal { color: var(--ok); } .band-warning { color: var(--warn); } .band-critical { color: var(--fail); }
section.workload { margin-top: 36px; padding-top: 12px; border-top: 3px solid var(--line); }
section.workload h2 { border-bottom: 0; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 22px 0 8px; padding-bottom: 3px; border-bottom: 1px solid var(--line); }
.figure.normal dd { color: var(--ok); } .figure.warning dd { color: var(--warn); } .figure.critical dd { color: var(--fail); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
figcaption { font-weight: 600; } figcaption small { display: block; font-weight: 400; color: var(--muted); }
.chart-note { color: var(--muted); margin: 4px 0 8px; }
svg.plot { width: 100%; height: auto; display: block; font-size: 11px; }
.plot .grid { stroke: #eaeef2; } .plot .axis { stroke: var(--muted); } .plot .tick, .plot .empty { fill: var(--muted); }
.plot .cursor { stroke: var(--muted); stroke-dasharray: 3 3; }
.plot .line { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
.plot .band { opacity: 0.13; } .plot .band-label { fill: var(--muted); font-size: 10px; }
.b-normal { fill: var(--ok); } .b-warning { fill: var(--warn); } .b-critical { fill: var(--fail); }
.s-p50 { stroke: var(--p50); fill: var(--p50); color: var(--p50); } .s-p95 { stroke: var(--p95); fill: var(--p95); color: var(--p95); }
.s-p99 { stroke: var(--p99); fill: var(--p99); color: var(--p99); } .s-rps { stroke: var(--rps); fill: var(--rps); color: var(--rps); }
.s-err { stroke: var(--fail); fill: var(--fail); color: var(--fail); } .s-ok { stroke: var(--ok); fill: var(--ok); color: var(--ok); }
.s-vus { stroke: var(--vus); fill: var(--vus); color: var(--vus); } .s-drop { stroke: var(--drop); fill: var(--drop); color: var(--drop); }
.s-dist { stroke: var(--dist); fill: var(--dist); color: var(--dist); }
.legend { list-style: none; display: flex; gap: 14px; margin: 4px 0 0; padding: 0; font-size: 12px; }
.legend li::before { content: ""; display: inline-block; width: 12px; height: 3px; margin: 0 5px 3px 0; background: currentColor; }
.readout { margin: 2px 0 0; min-height: 1.4em; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; } td.n, th.n { text-align: right; white-space: nowrap; }
td code, td.path { word-break: break-all; }
tr.pass .result { color: var(--ok); font-weight: 600; } tr.warn .result { color: var(--warn); font-weight: 700; }
tr.fail .result { color: var(--fail); font-weight: 700; } tr.warn { background: #fff8c5; } tr.fail { background: #ffebe9; }
.level-critical { color: var(--fail); } .level-warning { color: var(--warn); }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@media print { .charts { grid-template-columns: 1fr 1fr; } figure { break-inside: avoid; } .readout { display: none; } }
`;
