import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Clock } from '../src/clock.js';
import { PreciseAlarm, requestLanded, requestStarted, threadLoad } from '../src/precise-alarm.js';

/** Fire `n` alarms one after another, each `gapMs` after the previous instant; lateness of each (ms). */
function lateness(clock: Clock, n: number, gapMs: number): Promise<number[]> {
  const late: number[] = [];
  return new Promise((resolve) => {
    let at = clock.now() + gapMs;
    const alarm = new PreciseAlarm(clock, () => {
      late.push(clock.now() - at);
      if (late.length === n) return resolve(late);
      at += gapMs;
      alarm.set(at);
    });
    alarm.set(at);
  });
}

test('a PreciseAlarm never fires early and, with nothing in flight, fires well under a millisecond late', { timeout: 10_000 }, async (t) => {
  const clock = new Clock(Date.now());
  const slept = threadLoad.sleptMs;
  const late = (await lateness(clock, 60, 3.3)).sort((a, b) => a - b);
  assert.ok(late[0] >= 0, `fired ${-late[0]} ms early`);
  // setTimeout alone is ~0.5–1 ms late on average; the final sleep is µs-precise (a loaded machine adds its wake-up latency).
  assert.ok(late[30] < 0.5, `median lateness ${late[30]} ms`);
  assert.ok(threadLoad.sleptMs > slept, 'the last stretch was slept, not spun');
  t.diagnostic(`lateness median ${late[30].toFixed(3)} ms, p90 ${late[54].toFixed(3)}, max ${late[59].toFixed(3)}`);
});

test('with a request in flight a PreciseAlarm does not block the loop, and still never fires early', { timeout: 10_000 }, async () => {
  const clock = new Clock(Date.now());
  requestStarted();
  try {
    const slept = threadLoad.sleptMs;
    const late = await lateness(clock, 20, 2.5);
    assert.ok(Math.min(...late) >= 0, 'never early');
    assert.equal(threadLoad.sleptMs, slept, 'no sleep while a request is in flight');
  } finally {
    requestLanded();
  }
  assert.equal(threadLoad.inFlight, 0);
});
