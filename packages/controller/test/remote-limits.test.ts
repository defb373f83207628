/**
 * The per-peer limits: the message size is what the largest real snapshot
 * needs, snapshots are metered per share, the handshake cap follows the
 * descriptor limit, refusals are logged a line per interval, and the
 * off-loopback cleartext warning.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, encodeHistogram, HISTOGRAM } from '@novaload/report';
import { isTlsTrustError } from '@novaload/agent/remote-client';
import { MAX_HISTOGRAM_BYTES, MESSAGE_CEILING_BYTES, SNAPSHOT_RATE, SnapshotBudget, handshakeCap, maxMessageBytes } from '../src/remote/limits.js';
import { RefusalLog } from '../src/remote/refusals.js';
import { cleartextWarning } from '../src/remote/auth.js';

test('the largest histogram novaload can encode (every bucket at the int32 maximum) fits MAX_HISTOGRAM_BYTES; a 1-name snapshot of three of them fits the message limit', () => {
  const h = createHistogram();
  // The JavaScript histogram's internals (not in the package's types): its counts array, index by index.
  const dense = h as unknown as { countsArrayLength: number; valueFromIndex(i: number): number; getCountAtIndex(i: number): number };
  for (let i = 0; i < dense.countsArrayLength; i++) {
    const v = dense.valueFromIndex(i);
    if (v <= HISTOGRAM.highestTrackableValue) h.recordValueWithCount(v, 2 ** 31 - 1 - dense.getCountAtIndex(i));
  }
  const worst = Math.max(encodeHistogram(h, { deflate: false }).length, encodeHistogram(h).length);
  assert.ok(worst > 150_000, `the dense histogram is the worst case (${worst} bytes)`);
  assert.ok(worst <= MAX_HISTOGRAM_BYTES, `${worst} bytes > ${MAX_HISTOGRAM_BYTES}`);
  assert.ok(3 * worst + 10_000 < maxMessageBytes(1));
  assert.equal(maxMessageBytes(1), 589_824, 'the figure README documents: 576 KiB for one request name');
  assert.equal(maxMessageBytes(10), 64 * 1024 + 10 * 512 * 1024);
  assert.equal(maxMessageBytes(100_000), MESSAGE_CEILING_BYTES);
});

test('snapshot budget: a burst of 30 per share, then 4 a second; shares are metered apart; too many distinct shares is a flood', () => {
  let now = 0;
  const budget = new SnapshotBudget(() => now);
  for (let i = 0; i < SNAPSHOT_RATE.burst; i++) assert.ok(budget.take(0), `snapshot ${i}`);
  assert.equal(budget.take(0), false, 'the 31st at once is over');
  assert.ok(budget.take(1), 'another share has its own budget');
  now += 1000;
  for (let i = 0; i < SNAPSHOT_RATE.perSecond; i++) assert.ok(budget.take(0));
  assert.equal(budget.take(0), false);
  now += 3_600_000;
  let honest = 0;
  for (let s = 0; s < 3600; s++, now += 1000) if (budget.take(0)) honest++;
  assert.equal(honest, 3600, 'one a second for an hour always passes');
  const many = new SnapshotBudget(() => 0);
  for (let s = 0; s < SnapshotBudget.MAX_SHARES; s++) assert.ok(many.take(s));
  assert.equal(many.take(SnapshotBudget.MAX_SHARES), false);
});

test('handshake cap: a quarter of the open-file limit, between 16 and 1024', () => {
  assert.equal(handshakeCap(1024), 256);
  assert.equal(handshakeCap(20), 16);
  assert.equal(handshakeCap(1_000_000), 1024);
  assert.equal(handshakeCap(null), 1024);
});

test('refusal log: the first refusal of an interval is a line, the rest one summary line with counts by reason', () => {
  const lines: string[] = [];
  let now = 0;
  const log = new RefusalLog((l) => lines.push(l), 60_000, () => now);
  log.refused('wrong token', 'from 10.0.0.1:5');
  for (let i = 0; i < 500; i++) log.refused('wrong token', `from 10.0.0.1:${i}`);
  for (let i = 0; i < 1500; i++) log.refused('over the cap', `from 10.0.0.2:${i}`);
  assert.deepEqual(lines, ['refused a connection from 10.0.0.1:5: wrong token']);
  now = 7400;
  log.flush();
  assert.deepEqual(lines.slice(1), ['refused 2000 more connection(s) in 7 s: 500 wrong token, 1500 over the cap']);
  log.flush();
  assert.equal(lines.length, 2, 'nothing new, no line');
});

test('off loopback without TLS warns that the token and scenario travel in clear; loopback or TLS does not', () => {
  assert.match(cleartextWarning('0.0.0.0:7878', '0.0.0.0', false) ?? '', /off loopback without --tls-cert: the token and the scenario .* travel in clear/);
  assert.equal(cleartextWarning('0.0.0.0:7878', '0.0.0.0', true), null);
  assert.equal(cleartextWarning('127.0.0.1:7878', '127.0.0.1', false), null);
  assert.equal(cleartextWarning('[::1]:7878', '::1', false), null);
});

test('certificate failures are trust errors an agent with --once gives up on; a refused connection is not', () => {
  for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'EPROTO']) {
    assert.ok(isTlsTrustError({ code }), code);
  }
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', undefined]) assert.equal(isTlsTrustError({ code }), false, String(code));
});
