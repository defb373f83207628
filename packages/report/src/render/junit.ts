/**
 * JUnit XML (`--junit`): the format every CI server already shows (Jenkins,
 * GitLab, GitHub test reporters). Each threshold is a test case so a gate
 * reads as "3 tests, 1 failure"; only a failed critical level is a
 * `<failure>`, a failed warning is reported in the case's output without
 * failing the build, matching exit code 0 for verdict `warn`.
 */
import type { Report, ThresholdResult } from '../types.js';
import { escapeMarkup as esc } from './escape.js';
import { formatMs, formatPercent, formatThresholdValue } from './format.js';
import { expressionCell, lostAgentsSentence } from './text-judgement.js';
import { renderText } from './text.js';
import { checkRows } from './checks.js';
import { timingRows } from './timings.js';

/** Test case name of a threshold: metric, level and condition, e.g. `latency.p99 critical <2s`; levels from --history say so. */
export function junitCaseName(t: ThresholdResult): string {
  return `${t.metric} ${t.level} ${t.expression}${t.source === 'history' ? ' (history)' : ''}`;
}

function observed(t: ThresholdResult): string {
  return `${t.metric} = ${formatThresholdValue(t.metric, t.value)}, expected ${expressionCell(t)}`;
}

function testcase(t: ThresholdResult, classname: string): string {
  const open = `    <testcase name="${esc(junitCaseName(t))}" classname="${esc(classname)}" time="0">`;
  if (t.ok) return `${open}\n      <system-out>${esc(`PASS: ${observed(t)}`)}</system-out>\n    </testcase>`;
  if (t.level === 'critical') {
    const detail = t.value === null ? 'no data: a threshold on a metric with no data fails' : `critical threshold failed: ${observed(t)}`;
    return `${open}\n      <failure type="threshold" message="${esc(observed(t))}">${esc(detail)}</failure>\n    </testcase>`;
  }
  return `${open}\n      <system-out>${esc(`WARNING: ${observed(t)} (warning level: reported, does not fail the run)`)}</system-out>\n    </testcase>`;
}

function property(name: string, value: string): string {
  return `      <property name="${esc(name)}" value="${esc(value)}"/>`;
}

/** The run's key figures as suite properties, so CI tools can chart them across builds (dropped and completed iterations as the text report shows them). */
function properties(r: Report): string[] {
  return [
    property('target', r.target),
    property('executor', r.executor),
    property('verdict', r.verdict),
    property('interrupted', String(r.interrupted)),
    property('requests', String(r.totals.requests)),
    property('resent', String(r.totals.resent ?? 0)),
    property('dropped', String(r.totals.dropped)),
    ...(r.totals.iterations === undefined ? [] : [property('iterations', String(r.totals.iterations))]),
    property('rps', r.rps.toFixed(2)),
    property('successRate', formatPercent(r.successRate)),
    property('errorRate', formatPercent(r.errorRate)),
    property('latency.p50', formatMs(r.latency.p50)),
    property('latency.p95', formatMs(r.latency.p95)),
    property('latency.p99', formatMs(r.latency.p99)),
    property('generator.saturated', String(r.generator.saturated)),
    ...timingProperties(r),
    ...checkProperties(r),
    ...agentProperties(r),
  ];
}

/** Scenarios with checks: the totals, then each check's passes and fails (`check.<request>.<check>`); the table is in system-out too. */
function checkProperties(r: Report): string[] {
  if (r.totals.checks === undefined) return [];
  return [
    property('checks.passes', String(r.totals.checks.passes)),
    property('checks.fails', String(r.totals.checks.fails)),
    ...checkRows(r).map(([request, check, passes, fails]) => property(`check.${request}.${check}`, `${passes} passed, ${fails} failed`)),
  ];
}

/** With request phases: connections opened, then `phase.<request>.<phase>` (`(all)` overall) = its p50, p95, p99 and mean share; the table is in system-out too. */
function timingProperties(r: Report): string[] {
  const rows = timingRows(r);
  if (rows.length === 0) return [];
  return [
    property('connectionsOpened', String(r.totals.connectionsOpened ?? 0)),
    ...rows.map(([scope, phase, p50, p95, p99, share]) => property(`phase.${scope}.${phase}`, `p50 ${p50}, p95 ${p95}, p99 ${p99}, mean share ${share}`)),
  ];
}

/** Distributed runs: how many agents ran and how many were lost. */
function agentProperties(r: Report): string[] {
  if (r.agents.length === 0) return [];
  return [property('agents', String(r.agents.length)), property('agents.lost', String(r.agents.filter((a) => a.status === 'lost').length))];
}

/**
 * One `<testsuite>` (inside `<testsuites>`) for the report, one `<testcase>`
 * per threshold result, `failures` = failed critical levels; a run file's
 * report adds a testsuite per workload (`novaload.<run>.<workload>`), so CI
 * shows which workload failed. Valid against the Jenkins/Ant JUnit schema;
 * each suite's system-out holds its text report.
 */
export function renderJunit(report: Report): string {
  const suites = [{ r: report, classname: `novaload.${report.scenario}` }, ...Object.values(report.scenarios ?? {}).map((r) => ({ r, classname: `novaload.${report.scenario}.${r.scenario}` }))];
  const tests = suites.reduce((n, s) => n + s.r.thresholds.length, 0);
  const failures = suites.reduce((n, s) => n + criticalFailures(s.r), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="novaload" tests="${tests}" failures="${failures}" errors="0" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites.flatMap((s, id) => testsuite(s.r, s.classname, id)),
    '</testsuites>',
    '',
  ].join('\n');
}

function criticalFailures(r: Report): number {
  return r.thresholds.filter((t) => !t.ok && t.level === 'critical').length;
}

function testsuite(r: Report, classname: string, id: number): string[] {
  const tests = r.thresholds.length;
  const time = (r.durationMs / 1000).toFixed(3);
  // Ant's schema wants a timestamp without zone; startedAt is UTC.
  const timestamp = r.startedAt.replace(/\.\d+Z$|Z$/, '');
  const warnings = r.thresholds.filter((t) => !t.ok && t.level === 'warning').map((t) => `WARNING: ${observed(t)}`);
  const lost = lostAgentsSentence(r.agents);
  if (lost !== null) warnings.push(`LOST: ${lost}`);
  return [
    `  <testsuite name="${esc(classname)}" tests="${tests}" failures="${criticalFailures(r)}" errors="0" skipped="0" time="${time}" timestamp="${esc(timestamp)}" id="${id}" package="novaload">`,
    '    <properties>',
    ...properties(r),
    '    </properties>',
    ...r.thresholds.map((t) => testcase(t, classname)),
    `    <system-out>${esc(renderText(r))}</system-out>`,
    `    <system-err>${esc(warnings.join('\n'))}</system-err>`,
    '  </testsuite>',
  ];
}
