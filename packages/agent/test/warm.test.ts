import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

test('the thread warm-up runs the engine on loopback, finishes, and leaves nothing open (the thread exits by itself)', { timeout: 20_000 }, async () => {
  const worker = new Worker(new URL('./helpers/warm-worker.js', import.meta.url));
  const messages: { ms: number }[] = [];
  worker.on('message', (m: { ms: number }) => messages.push(m));
  const code = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  assert.equal(code, 0);
  assert.equal(messages.length, 1, 'the warm-up finished');
  assert.ok(messages[0]!.ms < 5000, `warm-up took ${messages[0]!.ms} ms`);
});
