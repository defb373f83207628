import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAME_REQUEST_MS, SignalGate } from '../src/signals.js';
import { RunControl } from '../src/run/control.js';

test('copies of one signal within 1 s are one request (a terminal plus pnpm relaying it)', () => {
  const gate = new SignalGate();
  assert.equal(SAME_REQUEST_MS, 1000);
  assert.deepEqual([0, 2, 3, 999.9].map((t) => gate.classify(t)), ['stop', 'repeat', 'repeat', 'repeat']);
});

test('a deliberate second signal hurries, a third exits; the relayed copies of each are ignored too', () => {
  const gate = new SignalGate();
  const at = [100, 105, 1100, 1101, 1500, 2100, 2101, 5000];
  assert.deepEqual(at.map((t) => gate.classify(t)), ['stop', 'repeat', 'hurry', 'repeat', 'repeat', 'exit', 'repeat', 'exit']);
});

test('the window counts from the signal that counted, so signals every 0.9 s still add up', () => {
  const gate = new SignalGate();
  assert.deepEqual([0, 900, 1800, 2700].map((t) => gate.classify(t)), ['stop', 'repeat', 'hurry', 'repeat']);
});

test('RunControl.hurry stops first (once), then calls hurry listeners once; late subscribers hear at once', () => {
  const control = new RunControl();
  const heard: string[] = [];
  control.onStop((reason) => heard.push(`stop ${reason}`));
  control.onHurry(() => heard.push('hurry'));
  control.hurry('SIGINT');
  control.hurry('SIGTERM');
  control.stop('later');
  control.onHurry(() => heard.push('late hurry'));
  assert.deepEqual(heard, ['stop SIGINT', 'hurry', 'late hurry']);
  assert.equal(control.stopReason, 'SIGINT');
});

test('RunControl: a plain stop does not hurry', () => {
  const control = new RunControl();
  let hurried = 0;
  control.onHurry(() => hurried++);
  control.stop('SIGINT');
  assert.equal(hurried, 0);
});
