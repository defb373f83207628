/**
 * The per-peer limits: the message size is what the largest real snapshot
 * needs, snapshots are metered per share, the handshake cap follows the
 * descriptor limit, refusals are logged a line per interval, and the
 * off-loopback cleartext warning; an agent link cuts off a peer that does
 * not read and one that floods other messages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, encodeHistogram, HISTOGRAM } from '@novaload/report';
import { isTlsTrustError } from '@novaload/agent/remote-client';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { CLOSE } from '@novaload/agent';
import { MAX_HISTOGRAM_BYTES, MESSAGE_CEILING_BYTES, MESSAGE_RATE, MessageBudget, SEND_BUFFER_LIMIT_BYTES, SNAPSHOT_RATE, SnapshotBudget, handshakeCap, maxMessageBytes } from '../src/remote/limits.js';
import { AgentLink } from '../src/remote/agent-link.js';
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

test('message budget: 200 at once, then 20 a second; an honest agent (a ping a second, five pongs per clock sync, a few per run) always passes', () => {
  let now = 0;
  const budget = new MessageBudget(() => now);
  for (let i = 0; i < MESSAGE_RATE.burst; i++) assert.ok(budget.take(), `message ${i}`);
  assert.equal(budget.take(), false, 'the 201st at once is over');
  now += 1000;
  for (let i = 0; i < MESSAGE_RATE.perSecond; i++) assert.ok(budget.take());
  assert.equal(budget.take(), false);
  now += 3_600_000;
  let refused = 0;
  for (let s = 0; s < 3600; s++, now += 1000) {
    // Every second a ping and a pong; every minute a run file of 8 workloads: 8 clock syncs of 5 pongs, ready and done each.
    const burst = 2 + (s % 60 === 0 ? 8 * (5 + 2) : 0);
    for (let i = 0; i < burst; i++) if (!budget.take()) refused++;
  }
  assert.equal(refused, 0);
});

/** The part of a ws WebSocket that AgentLink uses, with a settable unread count. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  closedWith: { code: number; reason: string } | null = null;
  send(raw: string): void {
    this.sent.push(raw);
  }
  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

function link(): { ws: FakeSocket; link: AgentLink; lost: string[]; log: string[] } {
  const ws = new FakeSocket();
  const log: string[] = [];
  const lost: string[] = [];
  const l = new AgentLink('agent-1', ws as unknown as WebSocket, (line) => log.push(line), 589_824);
  l.handler = { message: () => {}, lost: (why) => lost.push(why) };
  return { ws, link: l, lost, log };
}

test('an agent that leaves more than 1 MiB (plus twice the largest message it was sent) unread is cut off at the next send', () => {
  const { ws, link: l, lost, log } = link();
  try {
    l.send({ v: 1, type: 'ping', id: 1, t: 1 });
    assert.equal(ws.sent.length, 1);
    const largest = ws.sent[0]!.length;
    ws.bufferedAmount = SEND_BUFFER_LIMIT_BYTES + 2 * largest;
    l.send({ v: 1, type: 'ping', id: 2, t: 1 });
    assert.equal(ws.sent.length, 2, 'at the limit it is still sent');
    ws.bufferedAmount += 1;
    l.send({ v: 1, type: 'ping', id: 3, t: 1 });
    assert.equal(ws.sent.length, 2, 'over the limit nothing more is queued');
    const why = `does not read what it is sent (${ws.bufferedAmount} bytes unread, limit ${SEND_BUFFER_LIMIT_BYTES + 2 * largest})`;
    assert.deepEqual(lost, [why]);
    assert.deepEqual(log, [`closing the connection to agent agent-1: ${why}`]);
    assert.equal(ws.closedWith?.code, CLOSE.lost);
  } finally {
    l.close('test over');
  }
});

test('a peer flooding pings gets 200 pongs, then is dropped as a protocol violation', () => {
  const { ws, link: l, lost } = link();
  try {
    for (let i = 0; i < 1000 && lost.length === 0; i++) ws.emit('message', Buffer.from(JSON.stringify({ v: 1, type: 'ping', id: i, t: 1 })));
    const pongs = ws.sent.filter((raw) => JSON.parse(raw).type === 'pong').length;
    assert.equal(pongs, MESSAGE_RATE.burst, 'only the pings within the budget are answered');
    assert.deepEqual(lost, ['sent messages faster than 20/s (200 at once; snapshots aside)']);
    assert.equal(ws.closedWith?.code, CLOSE.badMessage);
  } finally {
    l.close('test over');
  }
});
