import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadedData, DataMode, ExecutorConfig } from '../src/index.js';
import { Vu } from '../src/vu.js';
import { countingServer } from './helpers/server.js';
import { runShares, scenario, total } from './helpers/run.js';

/** `rows` rows (user = u<r>) as the controller loads them. */
function users(rows: number, mode: DataMode, onExhausted: 'recycle' | 'stop' = 'recycle'): LoadedData {
  return { file: 'users.csv', mode, onExhausted, columns: ['user'], rows, cells: Array.from({ length: rows }, (_, r) => `u${r}`) };
}

/**
 * Run with every request's VU row recorded as undici writes it (Vu.onConnect),
 * until journey-core's templates put `{{ data.user }}` into the request itself.
 */
async function runRecordingRows(executor: ExecutorConfig, data: LoadedData, shares: number) {
  const server = await countingServer(() => ({ delayMs: 2 }));
  const sent: { vu: number; user: string }[] = [];
  const original = Vu.prototype.onConnect;
  Vu.prototype.onConnect = function (this: Vu) {
    sent.push({ vu: this.index, user: this.row?.user ?? 'none' });
    original.call(this);
  };
  try {
    const out = await runShares(scenario(server.url, executor, { data, gracefulStopMs: 2000 }), shares);
    return { out, sent, arrivals: server.arrivals.length };
  } finally {
    Vu.prototype.onConnect = original;
    await server.close();
  }
}

test('per-vu over 2 shares: every request of global VU k carries row k mod rows', { timeout: 10_000 }, async () => {
  const { out, sent, arrivals } = await runRecordingRows({ type: 'constant-vus', vus: 5, durationMs: 400 }, users(3, 'per-vu'), 2);
  assert.equal(sent.length, arrivals, 'a row was there for every request the server saw');
  assert.equal(total(out, 'requests'), arrivals);
  assert.ok(arrivals >= 10, `${arrivals} requests`);
  for (const { vu, user } of sent) assert.equal(user, `u${vu % 3}`, `VU ${vu + 1}`);
  assert.deepEqual(new Set(sent.map((s) => s.vu)), new Set([0, 1, 2, 3, 4]));
  assert.equal(out.results.reduce((n, r) => n + r.data!.taken, 0), arrivals);
});

test('sequential + stop over 2 shares (closed model): each row is sent exactly once, then the shares end early, not an error', { timeout: 10_000 }, async () => {
  const { out, sent, arrivals } = await runRecordingRows({ type: 'constant-vus', vus: 3, durationMs: 5000 }, users(25, 'sequential', 'stop'), 2);
  assert.equal(arrivals, 25);
  assert.equal(total(out, 'ok'), 25);
  assert.deepEqual(sent.map((s) => s.user).sort(), Array.from({ length: 25 }, (_, r) => `u${r}`).sort());
  assert.ok(out.doneAfterMs < 3000, `the shares stopped when the rows ran out (${out.doneAfterMs.toFixed(0)} ms of a 5 s plan)`);
  for (const r of out.results) {
    assert.equal(r.stoppedEarly, false);
    assert.equal(r.interrupted, 0);
    assert.equal(typeof r.data!.exhaustedAtMs, 'number');
  }
  assert.deepEqual(out.results.map((r) => r.data!.taken), [13, 12]);
});

test('sequential + stop (open model): arrivals after the rows ran out are neither sent nor dropped', { timeout: 10_000 }, async () => {
  const executor: ExecutorConfig = { type: 'constant-arrival-rate', rate: 200, durationMs: 1500, maxVUs: 4, maxQueue: 60, arrivalWindowMs: 2 };
  // A queue as long as the rows: no arrival before they run out can be dropped, so any drop would be one after.
  const { out, sent, arrivals } = await runRecordingRows(executor, users(30, 'sequential', 'stop'), 2);
  assert.equal(arrivals, 30);
  assert.equal(new Set(sent.map((s) => s.user)).size, 30);
  const dropped = out.snapshots.flat().reduce((n, s) => n + s.dropped, 0);
  assert.equal(dropped, 0);
  assert.ok(out.doneAfterMs < 1200, `ended at ${out.doneAfterMs.toFixed(0)} ms of a 1.5 s plan`);
});

test('random over 2 shares: rows come from each share\'s own, and the draws repeat with the seed', { timeout: 10_000 }, async () => {
  const executor: ExecutorConfig = { type: 'constant-arrival-rate', rate: 100, durationMs: 300, maxVUs: 2, maxQueue: 2, arrivalWindowMs: 2 };
  const first = await runRecordingRows(executor, users(8, 'random'), 2);
  const second = await runRecordingRows(executor, users(8, 'random'), 2);
  assert.equal(first.sent.length, first.arrivals);
  for (const { vu, user } of first.sent) assert.equal(Number(user.slice(1)) % 2, vu % 2, 'a share draws its own rows');
  const byShare = (s: typeof first.sent, share: number) => s.filter((x) => x.vu % 2 === share).map((x) => x.user);
  assert.deepEqual(byShare(second.sent, 0), byShare(first.sent, 0));
  assert.deepEqual(byShare(second.sent, 1), byShare(first.sent, 1));
});
