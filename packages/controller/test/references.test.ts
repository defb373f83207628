import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunAggregator, type Report } from '@novaload/report';
import { CliError } from '../src/exit-codes.js';
import { loadReferences, type LoadedReferences, type ReferenceOptions } from '../src/run/references.js';
import { resolveRunFile, resolveScenario } from '../src/scenario/index.js';

const scenario = (thresholds: Record<string, unknown> = {}, name = 'checkout') =>
  resolveScenario({ name, target: 'http://127.0.0.1:1', executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ name: 'home', path: '/' }], thresholds }, `${name}.json`);

/** A saved report of `scenario` with no requests, as the CLI would write it. */
function saved(name: string, patch: Partial<Report> = {}): string {
  const report = new RunAggregator({ scenario: name, target: 'http://127.0.0.1:1', executor: 'constant-vus', startedAt: new Date(0), requests: [] }, 1).finish({ durationMs: 1000, interrupted: false, thresholds: {} });
  return JSON.stringify({ ...report, ...patch });
}

/** loadReferences of scenario files, with its notes kept in `notes`. */
const notes: string[] = [];
const load = (items: Parameters<typeof loadReferences>[0], opts: ReferenceOptions, cwd: string): Promise<LoadedReferences> => loadReferences(items, opts, cwd, (line) => notes.push(line));

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof CliError && err.exitCode === 104 && pattern.test(err.message));
}

test('a relative threshold without --baseline is invalid input naming the threshold and the flag', async () => {
  await rejects(load([scenario({ 'latency.p95': { warning: '<+5%' } })], {}, tmpdir()), /threshold "latency\.p95" \(warning "<\+5%"\) of scenario "checkout" is relative: pass --baseline/);
  assert.deepEqual((await load([scenario({ 'latency.p95': '<1s' })], {}, tmpdir())).workloads, [{}]);
});

test('the baseline must have the figure a relative threshold compares', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-refs-'));
  await writeFile(join(dir, 'old.json'), saved('checkout'));
  await rejects(load([scenario({ 'latency.p95': '<+5%' })], { baseline: 'old.json' }, dir), /baseline .*old\.json has no value for "latency\.p95"/);
  await writeFile(join(dir, 'bare.json'), JSON.stringify({ version: 1, totals: {} }));
  await rejects(load([scenario()], { baseline: 'bare.json' }, dir), /lacks the figures/);
  await rejects(load([scenario()], { baseline: 'missing.json' }, dir), /cannot read report/);
});

test('--history needs two complete earlier runs of the scenario; --sensitivity needs --history', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-history-'));
  const withRequests = (name: string, extra: Partial<Report> = {}) => saved(name, { totals: { requests: 10, ok: 10, failed: 0, bytesReceived: 0, dropped: 0, resent: 0, skipped: 0 }, rps: 10, ...extra });
  await writeFile(join(dir, 'a.json'), withRequests('checkout'));
  await writeFile(join(dir, 'b.json'), withRequests('checkout', { interrupted: true }));
  await writeFile(join(dir, 'c.json'), withRequests('other'));
  await writeFile(join(dir, 'notes.txt'), 'not a report, not read');
  await rejects(load([scenario()], { history: dir }, tmpdir()), /has 1 complete earlier report\(s\) of scenario "checkout": dynamic thresholds need at least 2/);
  await writeFile(join(dir, 'd.json'), withRequests('checkout', { rps: 20 }));
  const [refs] = (await load([scenario()], { history: dir, sensitivity: 2 }, tmpdir())).workloads;
  assert.equal(refs!.history!.reports, 2);
  assert.equal(refs!.history!.sensitivity, 2);
  assert.equal(refs!.history!.levels.find((l) => l.metric === 'rps')!.baseline, 15);
  await rejects(load([scenario()], { sensitivity: 2 }, tmpdir()), /--sensitivity .* --history/);
  await rejects(load([scenario()], { history: join(dir, 'nope') }, tmpdir()), /cannot read the directory/);
});

/** A run file "release-check" with workloads browse and api; `api` and `run` are their thresholds. */
const runFile = (api: Record<string, unknown> = {}, run: Record<string, unknown> = {}) => {
  const entry = (path: string, thresholds: Record<string, unknown>) => ({ executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ name: path, path: `/${path}` }], thresholds });
  return resolveRunFile({ name: 'release-check', target: 'http://127.0.0.1:1', thresholds: run, scenarios: { browse: entry('home', {}), api: entry('ping', api) } }, 'release-check.json');
};

/** A saved report with requests (so a history counts it); `sections` makes it a run file's. */
function savedRun(name: string, rps: number, sections?: Record<string, number>): string {
  const totals = { requests: 10, ok: 10, failed: 0, bytesReceived: 0, dropped: 0, resent: 0, skipped: 0 };
  const report = JSON.parse(saved(name, { totals, rps })) as Report;
  if (sections) report.scenarios = Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, JSON.parse(saved(k, { totals, rps: v })) as Report]));
  return JSON.stringify(report);
}

test('run file --baseline: the run against the top level, each workload against its section; a missing section is a note, or 104 with relative levels', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-run-refs-'));
  await writeFile(join(dir, 'old.json'), savedRun('release-check', 30, { browse: 10 }));
  notes.length = 0;
  const run = runFile({}, { rps: '>-10%' });
  const loaded = await load([run], { baseline: 'old.json' }, dir);
  assert.equal(loaded.runs.get(run)!.baseline!.report.rps, 30);
  assert.deepEqual(loaded.workloads.map((r) => r.baseline?.report.scenario), ['browse', undefined]);
  assert.deepEqual(notes, [`novaload: note: --baseline ${join(dir, 'old.json')} has no section "api" (its workloads: browse): workload "api" of run "release-check" is not compared`]);
  await rejects(load([runFile({ rps: '>-10%' })], { baseline: 'old.json' }, dir), /threshold "rps" \(critical ">-10%"\) of workload "api" of run "release-check" is relative: the baseline .*old\.json has no section "api" \(its workloads: browse\)/);
  await rejects(load([runFile({}, { 'latency.p95': '<+5%' })], {}, dir), /threshold "latency\.p95" \(critical "<\+5%"\) of run "release-check" is relative: pass --baseline/);
  await writeFile(join(dir, 'plain.json'), savedRun('checkout', 30));
  await rejects(load([runFile()], { baseline: 'plain.json' }, dir), /plain\.json is a report of scenario "checkout", not of a run file: run "release-check"/);
});

test('run file --history: earlier reports of the run give levels for the run and, from their sections, each workload', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-run-history-'));
  await writeFile(join(dir, 'a.json'), savedRun('release-check', 30, { browse: 10, api: 20 }));
  await writeFile(join(dir, 'b.json'), savedRun('release-check', 50, { browse: 30 }));
  await writeFile(join(dir, 'c.json'), savedRun('release-check', 1000));
  await rejects(load([runFile()], { history: dir }, tmpdir()), /has 1 complete earlier report\(s\) of workload "api" of run "release-check": dynamic thresholds need at least 2/);
  await writeFile(join(dir, 'd.json'), savedRun('release-check', 40, { api: 40 }));
  const run = runFile();
  const loaded = await load([run], { history: dir }, tmpdir());
  const rps = (r: { history?: { levels: { metric: string; baseline: number }[] } } | undefined) => r!.history!.levels.find((l) => l.metric === 'rps')!.baseline;
  assert.equal(rps(loaded.runs.get(run)), 40, 'the run\'s levels come from the run reports, not from the plain report of the same name');
  assert.deepEqual(loaded.workloads.map(rps), [20, 30]);
  await rejects(load([scenario({}, 'release-check')], { history: dir }, tmpdir()), /has 1 complete earlier report\(s\) of scenario "release-check"/);
  await writeFile(join(dir, 'e.json'), JSON.stringify({ ...JSON.parse(savedRun('release-check', 40)), scenarios: { api: { version: 1, totals: {} } } }));
  await rejects(load([run], { history: dir }, tmpdir()), /e\.json \(section "api"\) lacks the figures a comparison needs/);
});
