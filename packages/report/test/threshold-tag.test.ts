/**
 * Quoted request names in threshold tags: a name holding "," or "}" is
 * judged when quoted, an unquoted one is refused with the quoted key to write,
 * and every report format prints the metric so it parses back to the same name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatThresholdKey, parseThresholdKey, renderHtml, renderJunit, renderMarkdown, renderText, RunAggregator } from '../src/index.js';
import { endpoint, META, snapshot, type Samples } from './fixtures.js';

const RATINGS = 'GET /api/ratings/{id}';
const AWKWARD = 'say "hi", C:\\temp }';

test('a quoted name with "}" and "," parses, with \\" and \\\\ escapes; the printer quotes only where needed', () => {
  const k = parseThresholdKey(`latency.p95{request="${RATINGS}"}`);
  assert.deepEqual(k, { ok: true, value: { metric: 'latency', stat: 'p95', percentile: 95, request: RATINGS } });
  const awkward = parseThresholdKey('errorRate{ request = "say \\"hi\\", C:\\\\temp }" }');
  assert.deepEqual(awkward, { ok: true, value: { metric: 'errorRate', request: AWKWARD } });
  assert.equal(formatThresholdKey({ metric: 'errorRate', request: AWKWARD }), 'errorRate{request="say \\"hi\\", C:\\\\temp }"}');
  assert.equal(formatThresholdKey({ metric: 'latency', stat: 'p95', percentile: 95, request: 'list-tasks' }), 'latency.p95{request=list-tasks}');
  assert.equal(formatThresholdKey({ metric: 'rps', request: 'GET /api/tasks' }), 'rps{request=GET /api/tasks}');
});

test('an unquoted name with "}" or "," is refused, and the hint gives the quoted key as the JSON file needs it', () => {
  const brace = parseThresholdKey(`latency.p95{request=${RATINGS}}`);
  assert.ok(!brace.ok);
  assert.equal(brace.problem.message, `request name "${RATINGS}" holds "}" and is not quoted in "latency.p95{request=${RATINGS}}"`);
  assert.equal(brace.problem.hint, 'quote it; in the JSON file write "latency.p95{request=\\"GET /api/ratings/{id}\\"}"');
  const comma = parseThresholdKey('errorRate{request=a,b}');
  assert.ok(!comma.ok && /holds "," and is not quoted/.test(comma.problem.message) && comma.problem.hint === 'quote it; in the JSON file write "errorRate{request=\\"a,b\\"}"');
  for (const [key, message] of [
    ['latency.p95{request="a\\x"}', 'unknown escape "\\x"'],
    ['latency.p95{request="abc}', 'the quoted request name has no closing quote'],
    ['latency.p95{request="a" b}', 'text after the quoted request name'],
    ['latency.p95{request=""}', 'empty request name'],
  ] as const) {
    const p = parseThresholdKey(key);
    assert.ok(!p.ok, key);
    assert.equal(p.problem.message, `${message} in "${key}"`);
    assert.ok(p.problem.hint, key);
  }
});

/** Completions of these latencies (µs), all ok. */
function samples(latency: number[]): Samples {
  return { latency, serviceTime: latency, ttfb: latency, errors: [] };
}

/** Undo the markup renderers' escaping, as a browser or XML reader does. */
function unescapeMarkup(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('text, HTML, JUnit and markdown print a quoted threshold metric so it parses back to the same request name', () => {
  const meta = { ...META, requests: [{ name: RATINGS, method: 'GET', path: '/api/ratings/1' }, { name: AWKWARD, method: 'GET', path: '/x' }] };
  const agg = new RunAggregator(meta, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, vus: 1, endpoints: { [RATINGS]: endpoint(samples([50_000, 60_000])), [AWKWARD]: endpoint(samples([1000])) } }));
  const ratingsKey = formatThresholdKey({ metric: 'latency', stat: 'p95', percentile: 95, request: RATINGS });
  const awkwardKey = formatThresholdKey({ metric: 'latency', stat: 'max', request: AWKWARD });
  const report = agg.finish({ durationMs: 1000, interrupted: false, thresholds: { [ratingsKey]: '<10ms', [awkwardKey]: '<1s' } });
  assert.deepEqual(report.thresholds.map((t) => [t.metric, t.ok]), [[ratingsKey, false], [awkwardKey, true]]);
  assert.equal(report.verdict, 'fail');
  const printed: Record<string, string[]> = {
    text: renderText(report).split('\n').filter((l) => l.startsWith('  latency.')).map((l) => l.trim().split(/  +/)[0]!),
    html: [...renderHtml(report).matchAll(/<tr class="(?:pass|fail)"><td><code>(.*?)<\/code>/g)].map((m) => unescapeMarkup(m[1]!)),
    junit: [...renderJunit(report).matchAll(/<testcase name="(.*?) critical /g)].map((m) => unescapeMarkup(m[1]!)),
    markdown: [...renderMarkdown(report).matchAll(/^\| [✅❌] \| (.*?) \| critical/gmu)].map((m) => unescapeMarkup(m[1]!).replace(/\\(.)/g, '$1')),
  };
  for (const [format, metrics] of Object.entries(printed)) {
    assert.deepEqual(metrics, [ratingsKey, awkwardKey], format);
    assert.deepEqual(metrics.map((m) => { const k = parseThresholdKey(m); return k.ok && k.value.request; }), [RATINGS, AWKWARD], format);
  }
});
