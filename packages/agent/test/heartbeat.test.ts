import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Heartbeat, wallNow } from '../src/remote/heartbeat.js';
import type { HeartbeatMessage } from '../src/remote/protocol.js';

/** A heartbeat whose sent messages are collected; its interval is long, so only measureOffset pings. */
function deafPeer(): { hb: Heartbeat; sent: HeartbeatMessage[] } {
  const sent: HeartbeatMessage[] = [];
  const hb = new Heartbeat((m) => sent.push(m), () => {}, 60_000, 120_000);
  return { hb, sent };
}

test('measureOffset against a peer that never answers gives up at its deadline with rttMs Infinity', { timeout: 5000 }, async () => {
  const { hb, sent } = deafPeer();
  hb.start();
  const began = wallNow();
  const sample = await hb.measureOffset(5, 200);
  const took = wallNow() - began;
  hb.stop();
  assert.equal(sample.rttMs, Infinity);
  assert.ok(took >= 190 && took < 1000, `took ${took} ms`);
  assert.equal(sent.length, 1, 'the one unanswered ping waits out the deadline; no more are sent');
});

test('stop() during measureOffset ends it at once; no ping is sent after it', { timeout: 5000 }, async () => {
  const { hb, sent } = deafPeer();
  hb.start();
  const measuring = hb.measureOffset(5, 60_000);
  hb.stop();
  assert.equal((await measuring).rttMs, Infinity);
  assert.equal(sent.length, 1);
  assert.equal((await hb.measureOffset(5, 60_000)).rttMs, Infinity, 'a stopped heartbeat does not wait');
  assert.equal(sent.length, 1);
});

test('answered pings give the shortest round trip', { timeout: 5000 }, async () => {
  const pong = (m: HeartbeatMessage): HeartbeatMessage => ({ v: 1, type: 'pong', id: m.id, t: m.t, time: m.t + 5000 });
  const hb: Heartbeat = new Heartbeat((m) => queueMicrotask(() => hb.heard(pong(m))), () => {}, 60_000, 120_000);
  hb.start();
  const sample = await hb.measureOffset(3, 1000);
  hb.stop();
  assert.ok(sample.rttMs < 100, `rtt ${sample.rttMs}`);
  assert.ok(Math.abs(sample.offsetMs - 5000) < 100, `offset ${sample.offsetMs}`);
});
