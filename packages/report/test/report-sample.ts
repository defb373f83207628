/** A realistic report for the HTML, JUnit and markdown renderer tests: enough requests for a 99.9% tail, every threshold outcome, a hostile request name, agents. */
import { RunAggregator, type Report, type ThresholdResult } from '../src/index.js';
import { endpoint, latencyMicros, META, seeded, snapshot } from './fixtures.js';

/** A request name that is markup, a markdown table cell break and an XML control character at once. */
export const HOSTILE = '</script><img src=x onerror="alert(1)">|`*x*`&\u0001';

/**
 * 3 s, 2 shares, 3 request names (the third named HOSTILE, path `/q?a=<b>&c`),
 * 700 requests per share-second, errors in second 1; thresholds: a passing
 * and a failing warning, a passing and a failing critical.
 */
export function sampleReport(): Report {
  const rand = seeded(7);
  const meta = { ...META, requests: [...META.requests, { name: HOSTILE, method: 'GET', path: '/q?a=<b>&c' }] };
  const agg = new RunAggregator(meta, 2);
  for (let second = 0; second < 3; second++) {
    for (let share = 0; share < 2; share++) {
      const endpoints: Record<string, ReturnType<typeof endpoint>> = {};
      for (const r of meta.requests) {
        const latency = Array.from({ length: 233 }, () => latencyMicros(rand));
        const errors = second === 1 && share === 0 ? ['HTTP_503', 'HTTP_503', 'TIMEOUT'] : [];
        endpoints[r.name] = endpoint({ latency, serviceTime: latency, ttfb: latency.map((v) => v / 2), errors, bytes: 64 * latency.length });
      }
      agg.add(snapshot({ share, seq: second, second, vus: 10 + second, dropped: second, endpoints }));
    }
  }
  const report = agg.finish({
    durationMs: 3000,
    interrupted: false,
    thresholds: {
      'latency.p50': { warning: '<1ms', critical: '<10s' },
      errorRate: { warning: '<5%' },
      successRate: { critical: '>=99.9%' },
    },
  });
  return {
    ...report,
    agents: [
      { name: 'agent-a', share: 0, shares: [0], requests: 2097, clockOffsetMs: 0.4, status: 'ok' },
      { name: `agent-${HOSTILE}`, share: 1, shares: [1], requests: 2097, clockOffsetMs: -1.2, status: 'lost', lostAtSeconds: 2 },
    ],
  };
}

/** The sample, stopped by a windowed abortOnFail threshold, with a level from --history. */
export function judgedReport(): Report {
  const r = sampleReport();
  const windowed: ThresholdResult = { metric: 'latency.p99', level: 'critical', expression: '<1ms', value: 9.5, ok: false, window: { seconds: 2, failed: { from: 0, to: 1 } } };
  const history: ThresholdResult = { metric: 'latency.p95', level: 'warning', expression: '<500ms', value: 40, ok: true, source: 'history' };
  return { ...r, interrupted: true, thresholds: [...r.thresholds, windowed, history], aborted: { metric: 'latency.p99', level: 'critical', expression: '<1ms for 2s', second: 1 } };
}

/** A run that completed nothing: every renderer must still produce its document. */
export function emptyReport(): Report {
  return new RunAggregator(META, 2).finish({ durationMs: 0, interrupted: true, thresholds: { 'latency.p95': '<1s' } });
}
