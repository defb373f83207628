/**
 * A small SVG line-chart drawer that runs in the HTML report's page, so the
 * report stays one file with no chart library and no network. Everything it
 * writes into the page goes through textContent or numeric attributes: no
 * data is ever parsed as markup. Errors are collected into
 * `body[data-errors]`, where the browser test reads them back.
 */

/**
 * Browser JavaScript (ES2017) defining `chart(id, spec)` (draws into the
 * element `id`; returns 1 when it drew a point, 0 for "no data"), the axes
 * `axis`, `logAxis`, `timeAxis`, the formatters `ms`, `num`, `pct`, `time`,
 * and `maxOf` and `fail`. html-script.ts wraps it in one function scope.
 */
export const CHART_DRAWER = String.raw`
  var NS = 'http://www.w3.org/2000/svg', W = 600, H = 250, L = 62, R = 30, T = 12, B = 32;
  var errors = [];
  function fail(e) { errors.push(String(e && e.message || e)); document.body.dataset.errors = errors.join('\n'); }
  window.addEventListener('error', function (e) { fail(e.message); });
  function el(name, attrs, parent, content) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (content !== undefined) e.textContent = content;
    if (parent) parent.appendChild(e);
    return e;
  }
  function short(v) { return String(Number(v.toPrecision(3))); }
  function ms(v) { return v >= 1000 ? short(v / 1000) + ' s' : short(v) + ' ms'; }
  function num(v) { return short(v); }
  function pct(v) { return short(v) + '%'; }
  function time(s) { return s < 60 ? s + 's' : Math.floor(s / 60) + 'm' + (s % 60 ? (s % 60) + 's' : ''); }
  function axis(lo, hi, n) {
    var raw = (hi - lo || Math.abs(hi) || 1) / n, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    var step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag, min = Math.floor(lo / step) * step, max = Math.ceil(hi / step) * step;
    if (max === min) max = min + step;
    var ticks = [];
    for (var i = 0; min + i * step <= max + step / 2; i++) ticks.push(min + i * step);
    return { min: min, max: max, ticks: ticks, pos: function (v) { return (v - min) / (max - min); } };
  }
  // Log scale from the decade at or below lo to the one at or above hi; values below lo sit on the floor.
  function logAxis(lo, hi) {
    var a = Math.floor(Math.log10(lo)), b = Math.max(a + 1, Math.ceil(Math.log10(Math.max(hi, lo)))), ticks = [];
    for (var d = a; d <= b; d++) (b - a > 3 ? [1] : [1, 2, 5]).forEach(function (m) { if (d < b || m === 1) ticks.push(m * Math.pow(10, d)); });
    return { ticks: ticks, pos: function (v) { return (Math.log10(Math.max(v, Math.pow(10, a))) - a) / (b - a); } };
  }
  function timeAxis(ts) {
    var last = ts.length ? ts[ts.length - 1] + 1 : 1, steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200], step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) if (last / steps[i] <= 8) { step = steps[i]; break; }
    var ticks = [];
    for (var v = 0; v <= last; v += step) ticks.push(v);
    return { min: 0, max: last, ticks: ticks, fmt: time };
  }
  function maxOf(arrays) { var m = 0; arrays.forEach(function (a) { a.forEach(function (v) { if (v !== null && v > m) m = v; }); }); return m; }
  // o: { x: number[], xAxis: {min,max,ticks,fmt}, yAxis: {ticks,pos,fmt}, series: [{name, cls, values}], bands?: [{from,to,cls,label}], readout(i) }
  function chart(id, o) {
    var host = document.getElementById(id), pw = W - L - R, ph = H - T - B;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, 'class': 'plot', role: 'img', 'aria-label': host.dataset.title }, host);
    var fx = function (v) { return L + (v - o.xAxis.min) / (o.xAxis.max - o.xAxis.min) * pw; };
    var fy = function (v) { return T + ph - Math.max(0, Math.min(1, o.yAxis.pos(v))) * ph; };
    (o.bands || []).forEach(function (b) {
      el('rect', { x: L, y: fy(b.to), width: pw, height: fy(b.from) - fy(b.to), 'class': 'band ' + b.cls }, svg);
      el('text', { x: L + pw - 4, y: fy(b.to) + 11, 'class': 'band-label', 'text-anchor': 'end' }, svg, b.label);
    });
    o.yAxis.ticks.forEach(function (v) {
      el('line', { x1: L, x2: L + pw, y1: fy(v), y2: fy(v), 'class': 'grid' }, svg);
      el('text', { x: L - 6, y: fy(v) + 4, 'class': 'tick', 'text-anchor': 'end' }, svg, o.yAxis.fmt(v));
    });
    o.xAxis.ticks.forEach(function (v) {
      el('line', { x1: fx(v), x2: fx(v), y1: T + ph, y2: T + ph + 4, 'class': 'axis' }, svg);
      el('text', { x: fx(v), y: H - B + 18, 'class': 'tick', 'text-anchor': 'middle' }, svg, o.xAxis.fmt(v));
    });
    el('line', { x1: L, x2: L + pw, y1: T + ph, y2: T + ph, 'class': 'axis' }, svg);
    var points = 0;
    o.series.forEach(function (s) {
      var d = '', pen = 'M';
      s.values.forEach(function (v, i) {
        if (v === null) { pen = 'M'; return; }
        d += pen + fx(o.x[i]).toFixed(1) + ' ' + fy(v).toFixed(1) + ' ';
        pen = 'L';
        points++;
        if (o.x.length <= 60) el('circle', { cx: fx(o.x[i]), cy: fy(v), r: 2.5, 'class': 'dot ' + s.cls }, svg);
      });
      if (d) el('path', { d: d.trim(), 'class': 'line ' + s.cls }, svg);
    });
    var legend = document.createElement('ul');
    legend.className = 'legend';
    o.series.forEach(function (s) { var li = document.createElement('li'); li.className = s.cls; li.textContent = s.name; legend.appendChild(li); });
    host.appendChild(legend);
    if (points === 0) { el('text', { x: L + pw / 2, y: T + ph / 2, 'class': 'empty', 'text-anchor': 'middle' }, svg, 'no data'); return 0; }
    var cursor = el('line', { y1: T, y2: T + ph, 'class': 'cursor', visibility: 'hidden' }, svg);
    var readout = document.createElement('p');
    readout.className = 'readout';
    host.appendChild(readout);
    svg.addEventListener('mousemove', function (e) {
      var box = svg.getBoundingClientRect(), x = (e.clientX - box.left) / box.width * W, best = 0;
      for (var i = 1; i < o.x.length; i++) if (Math.abs(fx(o.x[i]) - x) < Math.abs(fx(o.x[best]) - x)) best = i;
      cursor.setAttribute('x1', fx(o.x[best])); cursor.setAttribute('x2', fx(o.x[best])); cursor.setAttribute('visibility', 'visible');
      readout.textContent = o.readout(best);
    });
    svg.addEventListener('mouseleave', function () { cursor.setAttribute('visibility', 'hidden'); readout.textContent = ''; });
    return 1;
  }
`;
