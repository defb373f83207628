import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { junitCaseName, renderJunit, type Report } from '../src/index.js';
import { emptyReport, HOSTILE, judgedReport, sampleReport } from './report-sample.js';
import { runReport } from './run-report.js';

const XSD = fileURLToPath(new URL('../../test/fixtures/junit.xsd', import.meta.url));
const XMLLINT = spawnSync('xmllint', ['--version']).error ? undefined : 'xmllint';
const NO_XMLLINT = XMLLINT ? false : 'xmllint not installed (Debian: apt-get install libxml2-utils)';

/** Validate XML text against the JUnit schema with xmllint; returns its exit status and messages. */
function validate(xml: string): { status: number | null; messages: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'novaload-junit-')), 'report.xml');
  writeFileSync(file, xml);
  const r = spawnSync(XMLLINT!, ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { status: r.status, messages: r.stderr };
}

function count(xml: string, re: RegExp): number {
  return xml.match(re)?.length ?? 0;
}

test('JUnit XML is valid against the JUnit schema, also with hostile names, an empty run and a run file\'s suites', { skip: NO_XMLLINT }, () => {
  const report = sampleReport();
  for (const r of [report, { ...report, scenario: HOSTILE, errors: { [HOSTILE]: 1 } }, emptyReport(), { ...report, thresholds: [] }, runReport()] as Report[]) {
    const v = validate(renderJunit(r));
    assert.equal(v.status, 0, v.messages);
  }
});

test('the schema check is not vacuous: a count that is not a number, or a testcase without a name, is rejected', { skip: NO_XMLLINT }, () => {
  const xml = renderJunit(sampleReport());
  assert.notEqual(validate(xml.replace(/ tests="\d+"/, ' tests="three"')).status, 0);
  assert.notEqual(validate(xml.replace(/<testcase name="[^"]*"/, '<testcase')).status, 0);
});

test('one testcase per threshold; only a failed critical level is a <failure>, a failed warning says WARNING', () => {
  const report = sampleReport();
  const xml = renderJunit(report);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="novaload" tests="4" failures="1" errors="0" time="3.000">'));
  assert.match(xml, /<testsuite name="novaload\.normal" tests="4" failures="1" errors="0" skipped="0" time="3\.000" timestamp="2025-01-02T03:04:05" id="0" package="novaload">/);
  assert.equal(count(xml, /<testsuite /g), 1);
  assert.equal(count(xml, /<testcase /g), report.thresholds.length);
  assert.equal(count(xml, /<failure /g), 1);
  assert.equal(count(xml, /<error /g), 0);
  const caseXml = (name: string) => new RegExp(`<testcase name="${name}" classname="novaload\\.normal" time="0">\\n(.*)\\n`).exec(xml)?.[1];
  assert.match(caseXml('successRate critical &gt;=99\\.9%')!, /^ {6}<failure type="threshold" message="successRate = 99\.79%, expected &gt;=99\.9%">critical threshold failed: successRate = 99\.79%/);
  assert.match(caseXml('latency\\.p50 warning &lt;1ms')!, /^ {6}<system-out>WARNING: latency\.p50 = \d+\.\d{3} ms, expected &lt;1ms \(warning level: reported, does not fail the run\)<\/system-out>$/);
  assert.match(caseXml('latency\\.p50 critical &lt;10s')!, /^ {6}<system-out>PASS: latency\.p50 = /);
  assert.match(caseXml('errorRate warning &lt;5%')!, /^ {6}<system-out>PASS: errorRate = 0\.21%/);
  assert.match(xml, /<system-err>WARNING: latency\.p50 = [^<]*<\/system-err>/, 'failed warnings are repeated in the suite\'s stderr');
  assert.match(xml, /<property name="verdict" value="fail"\/>/);
  assert.match(xml, /<system-out>=== Load Test Report ===\n/, 'the suite carries the text report');
  assert.equal(junitCaseName(report.thresholds[0]!), 'latency.p50 warning <1ms');
});

test('a threshold with no data fails at critical level and says why', () => {
  const xml = renderJunit(emptyReport());
  assert.match(xml, /tests="1" failures="1"/);
  assert.match(xml, /<failure type="threshold" message="latency\.p95 = no data, expected &lt;1s">no data: a threshold on a metric with no data fails<\/failure>/);
});

test('names are escaped and characters XML forbids are replaced', () => {
  const xml = renderJunit({ ...sampleReport(), scenario: HOSTILE });
  assert.ok(xml.includes('classname="novaload.&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;|`*x*`&amp;\uFFFD"'));
  assert.ok(!xml.includes('\u0001'));
  assert.ok(!xml.includes('<img'));
});

test('a windowed failure says where it failed; a --history level is named as such', { skip: NO_XMLLINT }, () => {
  const xml = renderJunit(judgedReport());
  assert.match(xml, /<testcase name="latency\.p99 critical &lt;1ms" classname="novaload\.normal" time="0">\n {6}<failure type="threshold" message="latency\.p99 = 9\.500 ms, expected &lt;1ms: violated in seconds 0–1">/);
  assert.match(xml, /<testcase name="latency\.p95 warning &lt;500ms \(history\)"/);
  assert.match(xml, / tests="6" failures="2" /);
  assert.equal(validate(xml).status, 0);
});
