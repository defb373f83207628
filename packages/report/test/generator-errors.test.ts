/**
 * Generator errors (EMFILE, ENFILE, EADDRNOTAVAIL) are counted apart in the
 * report and called out in the text summary, so running out of descriptors
 * or ports is never read as the target failing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatorErrorCount, isGeneratorError, renderText, RunAggregator } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** A one-second report whose failures have the given kinds, one request each. */
function reportWith(errors: string[]) {
  const agg = new RunAggregator(META, 1);
  const micros = Array.from({ length: errors.length + 2 }, () => 1000);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, vus: 1, endpoints: { 'list-tasks': endpoint({ latency: micros, serviceTime: micros, ttfb: micros, errors }) } }));
  return agg.finish({ durationMs: 1000, interrupted: false, thresholds: {} });
}

test('EMFILE, ENFILE and EADDRNOTAVAIL are generator errors; target failures are not', () => {
  for (const kind of ['EMFILE', 'ENFILE', 'EADDRNOTAVAIL']) assert.ok(isGeneratorError(kind), kind);
  for (const kind of ['ECONNREFUSED', 'ECONNRESET', 'TIMEOUT', 'HTTP_503', 'ENOTFOUND', 'HTTP_PARSE_ERROR']) assert.ok(!isGeneratorError(kind), kind);
  assert.equal(generatorErrorCount({ EMFILE: 3, HTTP_503: 4, EADDRNOTAVAIL: 2 }), 5);
});

test('the report counts generator errors apart and the text summary says they are not the target\'s', () => {
  const report = reportWith(['EMFILE', 'EMFILE', 'EADDRNOTAVAIL', 'HTTP_503']);
  assert.equal(report.generatorErrors, 3);
  assert.deepEqual(report.errors, { EMFILE: 2, EADDRNOTAVAIL: 1, HTTP_503: 1 }, 'still in errors');
  assert.equal(report.totals.failed, 4, 'still failed');
  const text = renderText(report);
  assert.match(text, /- EMFILE: 2 \(generator error, not the target\)/);
  assert.match(text, /- EADDRNOTAVAIL: 1 \(generator error, not the target\)/);
  assert.match(text, /- HTTP_503: 1\n/);
  assert.match(text, /WARNING: 3 failed request\(s\) are generator errors \(EMFILE: 2, EADDRNOTAVAIL: 1\)/);
});

test('without generator errors the field is absent and nothing is said', () => {
  const report = reportWith(['HTTP_503']);
  assert.equal('generatorErrors' in report, false);
  assert.doesNotMatch(renderText(report), /generator error/);
});
