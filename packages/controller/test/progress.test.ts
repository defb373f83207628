import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../src/run/progress.js';

const figures = { second: 3, vus: 42, rps: 123.4, p99: 12.5, errors: 2, requests: 500 };

function sink(isTTY: boolean) {
  const out = { text: '', isTTY, write: (s: string) => void (out.text += s) };
  return out;
}

test('on a TTY the progress line is redrawn once a second with elapsed, VUs, RPS, p99 and errors', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const out = sink(true);
    const p = createProgress(out, { quiet: false });
    p.start('normal', 10_000, () => figures);
    mock.timers.tick(1000);
    mock.timers.tick(1000);
    p.end();
    const draws = out.text.split('\r\x1b[K').filter((s) => s.includes('VUs'));
    assert.equal(draws.length, 2);
    assert.match(draws[1]!, /normal 2s\/10s {2}VUs 42 {2}RPS 123\.4 {2}p99 12\.50 ms {2}requests 500 {2}errors 2/);
  } finally {
    mock.timers.reset();
  }
});

test('without a TTY a plain line every 5 s; --quiet prints nothing', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const out = sink(false);
    const p = createProgress(out, { quiet: false });
    p.start('peak', 20_000, () => figures);
    mock.timers.tick(4000);
    assert.equal(out.text.split('\n').filter((l) => l.includes('VUs')).length, 0);
    mock.timers.tick(6000);
    p.end();
    const lines = out.text.split('\n').filter((l) => l.includes('VUs'));
    assert.equal(lines.length, 2);
    assert.doesNotMatch(out.text, /\r/);
    const quiet = sink(true);
    const q = createProgress(quiet, { quiet: true });
    q.start('peak', 1000, () => figures);
    mock.timers.tick(3000);
    q.end();
    assert.equal(quiet.text, '');
  } finally {
    mock.timers.reset();
  }
});
