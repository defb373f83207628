import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunAggregator, type Report } from '@novaload/report';
import { CliError } from '../src/exit-codes.js';
import { loadReferences } from '../src/run/references.js';
import { resolveScenario } from '../src/scenario/index.js';

const scenario = (thresholds: Record<string, unknown> = {}, name = 'checkout') =>
  resolveScenario({ name, target: 'http://127.0.0.1:1', executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ name: 'home', path: '/' }], thresholds }, `${name}.json`);

/** A saved report of `scenario` with no requests, as the CLI would write it. */
function saved(name: string, patch: Partial<Report> = {}): string {
  const report = new RunAggregator({ scenario: name, target: 'http://127.0.0.1:1', executor: 'constant-vus', startedAt: new Date(0), requests: [] }, 1).finish({ durationMs: 1000, interrupted: false, thresholds: {} });
  return JSON.stringify({ ...report, ...patch });
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof CliError && err.exitCode === 104 && pattern.test(err.message));
}

test('a relative threshold without --baseline is invalid input naming the threshold and the flag', async () => {
  await rejects(loadReferences([scenario({ 'latency.p95': { warning: '<+5%' } })], {}, tmpdir()), /threshold "latency\.p95" \(warning "<\+5%"\) of scenario "checkout" is relative: pass --baseline/);
  assert.deepEqual(await loadReferences([scenario({ 'latency.p95': '<1s' })], {}, tmpdir()), [{}]);
});

test('the baseline must have the figure a relative threshold compares', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-refs-'));
  await writeFile(join(dir, 'old.json'), saved('checkout'));
  await rejects(loadReferences([scenario({ 'latency.p95': '<+5%' })], { baseline: 'old.json' }, dir), /baseline .*old\.json has no value for "latency\.p95"/);
  await writeFile(join(dir, 'bare.json'), JSON.stringify({ version: 1, totals: {} }));
  await rejects(loadReferences([scenario()], { baseline: 'bare.json' }, dir), /lacks the figures/);
  await rejects(loadReferences([scenario()], { baseline: 'missing.json' }, dir), /cannot read report/);
});

test('--history needs two complete earlier runs of the scenario; --sensitivity needs --history', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-history-'));
  const withRequests = (name: string, extra: Partial<Report> = {}) => saved(name, { totals: { requests: 10, ok: 10, failed: 0, bytesReceived: 0, dropped: 0, resent: 0, skipped: 0 }, rps: 10, ...extra });
  await writeFile(join(dir, 'a.json'), withRequests('checkout'));
  await writeFile(join(dir, 'b.json'), withRequests('checkout', { interrupted: true }));
  await writeFile(join(dir, 'c.json'), withRequests('other'));
  await writeFile(join(dir, 'notes.txt'), 'not a report, not read');
  await rejects(loadReferences([scenario()], { history: dir }, tmpdir()), /has 1 complete earlier report\(s\) of scenario "checkout": dynamic thresholds need at least 2/);
  await writeFile(join(dir, 'd.json'), withRequests('checkout', { rps: 20 }));
  const [refs] = await loadReferences([scenario()], { history: dir, sensitivity: 2 }, tmpdir());
  assert.equal(refs!.history!.reports, 2);
  assert.equal(refs!.history!.sensitivity, 2);
  assert.equal(refs!.history!.levels.find((l) => l.metric === 'rps')!.baseline, 15);
  await rejects(loadReferences([scenario()], { sensitivity: 2 }, tmpdir()), /--sensitivity .* --history/);
  await rejects(loadReferences([scenario()], { history: join(dir, 'nope') }, tmpdir()), /cannot read the directory/);
});
