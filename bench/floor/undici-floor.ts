/**
 * The undici floor: the least a Node generator on undici can spend per
 * request, for the bench's CPU rows (`node undici-floor.js URL CONNECTIONS
 * SECONDS [RATE]`). Closed loop: one Client per connection, each sending its
 * next GET as soon as the last completes. Fixed rate: one Pool, the due
 * arrivals dispatched every 2 ms (novaload's default arrival window). The
 * handler only counts: no timing, no histograms, no snapshots, no threads.
 * Prints {"requests":N,"seconds":S}. novaload ÷ this is novaload's own cost.
 */
import { performance } from 'node:perf_hooks';
import { Client, Pool, type Dispatcher } from 'undici';

const [url = '', connArg = '50', secArg = '10', rateArg] = process.argv.slice(2);
const connections = Number(connArg);
const seconds = Number(secArg);
const rate = rateArg === undefined ? undefined : Number(rateArg);
const origin = new URL(url).origin;
const path = new URL(url).pathname;
const opts: Dispatcher.DispatchOptions = { method: 'GET', path };
let completed = 0;
let failed = 0;
const t0 = performance.now();
const endAt = t0 + seconds * 1000;

class Loop implements Dispatcher.DispatchHandler {
  constructor(private readonly client: Dispatcher, private readonly again: boolean) {}
  onConnect(): void {}
  onHeaders(): boolean {
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    completed++;
    if (this.again && performance.now() < endAt) this.client.dispatch(opts, this);
  }
  onError(): void {
    failed++;
    if (this.again && performance.now() < endAt) setImmediate(() => this.client.dispatch(opts, this));
  }
}

async function closed(): Promise<void> {
  const clients = Array.from({ length: connections }, () => new Client(origin));
  for (const c of clients) c.dispatch(opts, new Loop(c, true));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 200));
  await Promise.all(clients.map((c) => c.destroy()));
}

async function open(perSecond: number): Promise<void> {
  const pool = new Pool(origin, { connections });
  const handler = new Loop(pool, false);
  const total = Math.round(perSecond * seconds);
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * perSecond) / 1000));
      while (sent < due) {
        sent++;
        pool.dispatch(opts, handler);
      }
      if (sent < total) setTimeout(tick, 2);
      else resolve();
    };
    tick();
  });
  const drainUntil = performance.now() + 5000;
  while (completed + failed < total && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 5));
  await pool.destroy();
}

await (rate === undefined ? closed() : open(rate));
process.stdout.write(`${JSON.stringify({ requests: completed, failed, seconds: (performance.now() - t0) / 1000 })}\n`);
