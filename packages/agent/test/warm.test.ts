import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { WARM_COUNTS } from '../src/warm.js';

interface Outcome { ms: number; answered: { closed: number; open: number } }

async function warmInThread(counts?: { closed: number; open: number; capMs: number }): Promise<{ code: number; messages: Outcome[] }> {
  const worker = new Worker(new URL('./helpers/warm-worker.js', import.meta.url), { workerData: counts ?? null });
  const messages: Outcome[] = [];
  worker.on('message', (m: Outcome) => messages.push(m));
  const code = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  return { code, messages };
}

test('the thread warm-up runs the engine on loopback until each share has its count of answers, and leaves nothing open (the thread exits by itself)', { timeout: 20_000 }, async () => {
  const { code, messages } = await warmInThread();
  assert.equal(code, 0);
  assert.equal(messages.length, 1, 'the warm-up finished');
  const { answered, ms } = messages[0]!;
  assert.ok(answered.closed >= WARM_COUNTS.closed, `closed share answered ${answered.closed}`);
  assert.ok(answered.open >= WARM_COUNTS.open, `open share answered ${answered.open}`);
  // Stopped at the count: in-flight requests finish, nothing like a full cap's worth more (10 VUs; the open share 4,000/s).
  assert.ok(answered.closed < WARM_COUNTS.closed + 50, `closed share answered ${answered.closed}`);
  assert.ok(ms < 5000, `warm-up took ${ms} ms`);
});

test('a warm-up whose counts are out of reach ends at its time cap', { timeout: 20_000 }, async () => {
  const { code, messages } = await warmInThread({ closed: 1e9, open: 1e9, capMs: 80 });
  assert.equal(code, 0);
  const { answered } = messages[0]!;
  // The open share is paced at 4,000/s: its cap bounds it near 320 (plus at most one window's arrivals).
  assert.ok(answered.open > 0 && answered.open <= 4000 * 0.08 + 20, `open share answered ${answered.open}`);
  assert.ok(answered.closed > 0);
});
