/**
 * The HTML report's one script: the six charts of the runbook's dashboard
 * (response time p50/p95/p99, throughput, success rate, error rate against
 * its normal/warning/critical bands, load) plus the HdrHistogram-style
 * latency distribution, drawn from the page's JSON blocks (html-data.ts):
 * one for the run and, in a run file's report, one per workload section.
 */
import { CHART_DRAWER } from './html-charts.js';

const CHARTS = String.raw`
  // One report's six charts from its data block, into the elements named prefix + 'chart-…'; returns how many drew a point.
  function drawCharts(data, prefix) {
    var drawn = 0, tAxis = timeAxis(data.t);
    function line(name, cls, values) { return { name: name, cls: cls, values: values }; }
    function overTime(yAxis, fmt, series, readout, bands) {
      yAxis.fmt = fmt;
      return { x: data.t, xAxis: tAxis, yAxis: yAxis, series: series, bands: bands, readout: function (i) { return time(data.t[i]) + ': ' + readout(i); } };
    }
    // A partial last second is drawn at its per-second rate (html-data.ts); its readout says over how long.
    function scaled(i) { var p = data.partial; return p && p.charted && data.t[i] === p.t ? ' (the last ' + p.seconds + ' s, as a rate per second)' : ''; }
    function rates(part) { return data.t.map(function (_, i) { return data.requests[i] ? part(i) * 100 / data.requests[i] : null; }); }
    var errRate = rates(function (i) { return data.errors[i]; });
    var okRate = rates(function (i) { return data.requests[i] - data.errors[i]; });
    var dist = data.distribution, nines = function (p) { return -Math.log10(1 - p / 100); };
    var decades = dist.length ? Math.round(nines(dist[dist.length - 1][0])) : 1;
    var charts = {
      'chart-latency': function () {
        var fastest = data.p50.reduce(function (m, v) { return v > 0 && v < m ? v : m; }, Infinity);
        return overTime(logAxis(fastest === Infinity ? 1 : fastest, maxOf([data.p99])), ms, [line('p50', 's-p50', data.p50), line('p95', 's-p95', data.p95), line('p99', 's-p99', data.p99)],
          function (i) { return data.p50[i] === null ? 'nothing completed' : 'p50 ' + ms(data.p50[i]) + ', p95 ' + ms(data.p95[i]) + ', p99 ' + ms(data.p99[i]); });
      },
      'chart-throughput': function () {
        return overTime(axis(0, maxOf([data.requests]), 5), num, [line('requests/s', 's-rps', data.requests), line('failed/s', 's-err', data.errors)],
          function (i) { return num(data.requests[i]) + ' req/s, ' + num(data.errors[i]) + ' failed/s' + scaled(i); });
      },
      'chart-success': function () {
        var lowest = okRate.reduce(function (m, v) { return v !== null && v < m ? v : m; }, 99);
        return overTime(axis(lowest, 100, 4), pct, [line('success rate', 's-ok', okRate)],
          function (i) { return okRate[i] === null ? 'no requests' : okRate[i].toFixed(3) + '% ok'; });
      },
      'chart-errors': function () {
        var bands = [{ from: 0, to: 0.1, cls: 'b-normal', label: 'normal < 0.1%' }, { from: 0.1, to: 1, cls: 'b-warning', label: 'warning 0.1–1%' }, { from: 1, to: 100, cls: 'b-critical', label: 'critical > 1%' }];
        return overTime(logAxis(0.01, 100), function (v) { return v === 0.01 ? '≤0.01%' : v + '%'; }, [line('error rate', 's-err', errRate)],
          function (i) { return errRate[i] === null ? 'no requests' : errRate[i].toFixed(3) + '% failed (' + data.errors[i] + ')'; }, bands);
      },
      'chart-load': function () {
        return overTime(axis(0, maxOf([data.vus, data.dropped]), 5), num, [line('VUs', 's-vus', data.vus), line('dropped/s', 's-drop', data.dropped)],
          function (i) { return data.vus[i] + ' VUs, ' + num(data.dropped[i]) + ' dropped/s' + scaled(i); });
      },
      'chart-distribution': function () {
        var ticks = [], values = dist.map(function (d) { return d[1]; }), y = axis(0, maxOf([values]), 5);
        for (var k = 0; k <= decades; k++) ticks.push(k);
        y.fmt = ms;
        var xAxis = { min: 0, max: decades, ticks: ticks, fmt: function (k) { return k === 0 ? '0%' : (100 - Math.pow(10, 2 - k)).toFixed(Math.max(0, k - 2)) + '%'; } };
        return { x: dist.map(function (d) { return nines(d[0]); }), xAxis: xAxis, yAxis: y, series: [line('latency at percentile', 's-dist', values)],
          readout: function (i) { return Number(dist[i][0].toPrecision(6)) + '% of requests took at most ' + ms(dist[i][1]); } };
      },
    };
    Object.keys(charts).forEach(function (id) {
      try { drawn += chart(prefix + id, charts[id]()); } catch (e) { fail(e); }
    });
    return drawn;
  }
  // Each chart grid names its data block: the run's, and a run file's workload sections' own.
  var rendered = 0;
  Array.prototype.forEach.call(document.querySelectorAll('[data-charts]'), function (grid) {
    try { rendered += drawCharts(JSON.parse(document.getElementById(grid.dataset.charts).textContent), grid.dataset.prefix); } catch (e) { fail(e); }
  });
  document.body.dataset.rendered = String(rendered);
`;

/** Browser JavaScript (ES2017), inlined verbatim; its SHA-256 is the page's only allowed script. */
export const PAGE_SCRIPT = `(function () {\n  'use strict';${CHART_DRAWER}${CHARTS}})();`;
