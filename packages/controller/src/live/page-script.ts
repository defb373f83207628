/**
 * The dashboard page's script (plain ES2017, inlined in the page): it
 * listens to /events (Server-Sent Events), keeps the seconds it was sent,
 * and draws them with uPlot; tiles and tables are filled with textContent
 * only, so a request name is never markup. `window.novaloadDashboard`
 * exposes the charts and the last message for tests.
 */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var BANDS = JSON.parse(document.getElementById('bands').textContent);
  var token = new URLSearchParams(location.search).get('token');
  var q = token ? '?token=' + encodeURIComponent(token) : '';
  var $ = function (id) { return document.getElementById(id); };
  var points = [], view = -1, charts = {}, last = null;
  var ms = function (v) { return v == null ? '–' : v < 1 ? (v * 1000).toFixed(0) + ' µs' : v < 1000 ? v.toFixed(v < 10 ? 2 : 1) + ' ms' : (v / 1000).toFixed(2) + ' s'; };
  var pct = function (v) { return v == null ? '–' : v.toFixed(v < 1 ? 3 : 2) + ' %'; };
  var int = function (v) { return Math.round(v).toLocaleString('en-US'); };
  var band = function (p) { return p < BANDS.warning ? 'normal' : p <= BANDS.critical ? 'warning' : 'critical'; };
  function series(label, stroke, extra) { var s = { label: label, stroke: stroke, width: 2, points: { show: false } }; for (var k in extra) s[k] = extra[k]; return s; }
  function size(el) { return { width: Math.max(300, el.clientWidth - 8), height: 220 }; }
  function chart(id, opts) {
    var el = $(id), sz = size(el);
    opts.width = sz.width; opts.height = sz.height; opts.scales = opts.scales || {}; opts.scales.x = { time: false };
    opts.axes = opts.axes || [{ label: 's' }, {}];
    charts[id] = new uPlot(opts, opts.series.map(function () { return []; }), el);
  }
  function bandsHook(u) {
    var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height, left = u.bbox.left, w = u.bbox.width;
    var y = function (v) { return Math.max(top, Math.min(top + h, u.valToPos(v, 'y', true))); };
    [[0, BANDS.warning, 'rgba(46,160,67,0.12)'], [BANDS.warning, BANDS.critical, 'rgba(210,153,34,0.18)'], [BANDS.critical, 1e9, 'rgba(218,54,51,0.15)']].forEach(function (b) {
      var y0 = y(b[0]), y1 = y(b[1]); ctx.fillStyle = b[2]; ctx.fillRect(left, y1, w, y0 - y1);
    });
  }
  chart('chart-latency', { series: [{ label: 'second' }, series('p50', '#2f81f7'), series('p95', '#d29922'), series('p99', '#da3633'), series('p99 cumulative', '#da3633', { dash: [6, 4], width: 1 }), series('p95 cumulative', '#d29922', { dash: [6, 4], width: 1 })], axes: [{ label: 's' }, { label: 'ms' }] });
  chart('chart-throughput', { series: [{ label: 'second' }, series('requests/s', '#2f81f7', { scale: 'rps' }), series('success %', '#2ea043', { scale: '%' })], scales: { '%': { range: [0, 100] } }, axes: [{ label: 's' }, { scale: 'rps', label: 'req/s' }, { scale: '%', side: 1, label: '%', grid: { show: false } }] });
  chart('chart-errors', { series: [{ label: 'second' }, series('error %', '#da3633')], scales: { y: { range: function (u, min, max) { return [0, Math.max(BANDS.critical * 1.5, max * 1.1)]; } } }, axes: [{ label: 's' }, { label: '%' }], hooks: { drawClear: [bandsHook] } });
  chart('chart-load', { series: [{ label: 'second' }, series('active VUs', '#8957e5'), series('dropped', '#da3633', { scale: 'drop' })], axes: [{ label: 's' }, { label: 'VUs' }, { scale: 'drop', side: 1, label: 'dropped', grid: { show: false } }] });
  function draw() {
    var t = points.map(function (p) { return p.t; });
    var col = function (f) { return points.map(f); };
    // A second without a completed request (a gracefulStop tail) has no latency and no error rate: a gap, not a 0.
    var timed = function (f) { return col(function (p) { return p.requests ? f(p) : null; }); };
    charts['chart-latency'].setData([t, timed(function (p) { return p.p50; }), timed(function (p) { return p.p95; }), timed(function (p) { return p.p99; }), col(function (p) { return p.cp99; }), col(function (p) { return p.cp95; })]);
    charts['chart-throughput'].setData([t, col(function (p) { return p.requests; }), col(function (p) { return p.requests ? 100 * (p.requests - p.errors) / p.requests : null; })]);
    charts['chart-errors'].setData([t, timed(function (p) { return 100 * p.errors / p.requests; })]);
    charts['chart-load'].setData([t, col(function (p) { return p.vus; }), col(function (p) { return p.dropped; })]);
  }
  function fill(id, head, rows) {
    var table = $(id); table.textContent = '';
    var tr = table.insertRow(); head.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; tr.appendChild(th); });
    rows.forEach(function (r) { var row = table.insertRow(); r.forEach(function (c) { var td = row.insertCell(); if (c && typeof c === 'object') { td.textContent = c.text; td.className = c.cls; } else td.textContent = c; }); });
    table.parentNode.hidden = rows.length === 0;
  }
  function tile(id, text, cls) { var el = $(id); el.textContent = text; el.className = 'v' + (cls ? ' ' + cls : ''); }
  function render(m) {
    var s = m.summary;
    $('name').textContent = m.name;
    var state = m.state === 'done' ? (s.interrupted ? 'interrupted' : 'finished') + ' — ' + s.verdict.toUpperCase() : 'running ' + Math.floor(m.elapsedMs / 1000) + ' s of ' + Math.round(m.plannedMs / 1000) + ' s';
    tile('state', state, m.state === 'done' ? 'verdict-' + s.verdict : '');
    var k = m.tiles;
    tile('requests', int(k.requests)); $('requests').dataset.count = k.requests;
    tile('rps', k.rps.toFixed(1)); tile('success', pct(k.successRate));
    tile('error-rate', pct(k.errorRate), 'band-' + band(k.errorRate));
    tile('vus', int(k.vus)); tile('dropped', int(k.dropped));
    tile('p50', ms(k.p50)); tile('p95', ms(k.p95)); tile('p99', ms(k.p99));
    $('tables-at').textContent = m.state === 'done' ? 'final report' : 'as of ' + Math.floor(m.reportMs / 1000) + ' s';
    fill('thresholds', ['metric', 'level', 'condition', 'value', 'verdict'], s.thresholds.map(function (t) { return [t.metric, t.level, t.expression, t.shown, { text: t.ok ? 'ok' : 'FAIL', cls: t.ok ? 'ok' : 'fail' }]; }));
    var g = s.generator;
    fill('generator', ['event-loop lag max', 'utilisation max', 'state'], [[ms(g.lagMaxMs), (100 * g.utilizationMax).toFixed(0) + ' %', { text: g.saturated ? 'SATURATED: figures may blame the target' : 'ok', cls: g.saturated ? 'fail' : 'ok' }]]);
    fill('endpoints', ['request', 'method', 'path', 'requests', 'failed', 'req/s', 'p50', 'p95', 'p99', 'max'], s.endpoints.map(function (e) { return [e.name, e.method, e.path, int(e.requests), int(e.failed), e.rps.toFixed(1), ms(e.p50), ms(e.p95), ms(e.p99), ms(e.max)]; }));
    fill('sections', ['scenario', 'state', 'requests', 'req/s', 'error rate', 'p50', 'p95', 'p99', 'dropped', 'verdict'], m.sections.map(function (w) { return [w.name, w.state, int(w.requests), w.rps.toFixed(1), { text: pct(w.errorRate), cls: 'band-' + band(w.errorRate) }, ms(w.p50), ms(w.p95), ms(w.p99), int(w.dropped), w.verdict.toUpperCase()]; }));
    fill('errors', ['kind', 'count'], Object.keys(s.errors).map(function (k) { return [k, int(s.errors[k])]; }));
    fill('agents', ['agent', 'status', 'requests'], s.agents.map(function (a) { return [a.name, a.status, int(a.requests)]; }));
    fill('earlier', ['earlier scenario', 'verdict', 'requests'], m.earlier.map(function (e) { return [e.name, e.verdict.toUpperCase(), int(e.requests)]; }));
    var link = $('report-link'); link.hidden = m.state !== 'done'; link.href = '/report.html' + q; link.download = m.name.replace(/[^A-Za-z0-9._-]+/g, '-') + '.html';
  }
  var source = new EventSource('/events' + q);
  source.onmessage = function (e) {
    var m = JSON.parse(e.data);
    if (m.view !== view) { view = m.view; points = []; }
    points.length = Math.min(points.length, m.from);
    points = points.concat(m.points); last = m;
    render(m); draw();
    $('conn').textContent = 'live'; $('conn').className = 'conn live';
  };
  source.onerror = function () { $('conn').textContent = last && last.state === 'done' ? 'closed (the run ended)' : 'reconnecting…'; $('conn').className = 'conn'; };
  window.addEventListener('resize', function () { for (var id in charts) charts[id].setSize(size($(id))); });
  window.novaloadDashboard = { charts: charts, last: function () { return last; }, points: function () { return points; } };
})();`;
