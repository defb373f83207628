/**
 * The machine's own floors, measured in the same bench run as the tools, so
 * the table shows what no generator on this machine can go below:
 *
 *   node machine.js wake HZ SECONDS       an idle Node process woken HZ times a
 *                                         second by a timer and doing nothing:
 *                                         prints {"wakes":N,"cpuMs":C}
 *   node machine.js echo                  a 1-byte echo server on 127.0.0.1:0:
 *                                         prints {"port":N}, runs until killed
 *   node machine.js ping PORT COUNT GAPMS sends 1 byte, waits for its echo,
 *                                         rests GAPMS (so both sides go idle,
 *                                         as around a 10 ms server), COUNT times:
 *                                         prints {"count":N,"p50Ms":X,"p99Ms":Y}
 *
 * The wake cost is what a fixed-rate generator pays per arrival window
 * before it sends anything; the round trip is the part of a request that a
 * server's own timing cannot see (its wake-up on the request, the client's
 * on the response), so a client's p50 cannot come closer to the server's.
 */
import { connect, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

const [mode = '', a = '', b = '', c = ''] = process.argv.slice(2);

function wake(hz: number, seconds: number): void {
  const c0 = process.cpuUsage();
  let wakes = 0;
  const timer = setInterval(() => void wakes++, 1000 / hz);
  setTimeout(() => {
    clearInterval(timer);
    const used = process.cpuUsage(c0);
    process.stdout.write(`${JSON.stringify({ wakes, cpuMs: (used.user + used.system) / 1000 })}\n`);
  }, seconds * 1000);
}

function echo(): void {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (d) => socket.write(d));
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
}

function ping(port: number, count: number, gapMs: number): void {
  const rtts: number[] = [];
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let sentAt = 0;
  const send = (): void => {
    sentAt = performance.now();
    socket.write('x');
  };
  socket.on('connect', send);
  socket.on('data', () => {
    rtts.push(performance.now() - sentAt);
    if (rtts.length >= count) {
      socket.end();
      rtts.sort((x, y) => x - y);
      const at = (p: number): number => rtts[Math.max(0, Math.ceil((p / 100) * rtts.length) - 1)]!;
      process.stdout.write(`${JSON.stringify({ count: rtts.length, p50Ms: at(50), p99Ms: at(99) })}\n`);
      return;
    }
    setTimeout(send, gapMs);
  });
  socket.on('error', (err) => {
    process.stderr.write(`ping: ${err.message}\n`);
    process.exit(1);
  });
}

if (mode === 'wake') wake(Number(a), Number(b));
else if (mode === 'echo') echo();
else if (mode === 'ping') ping(Number(a), Number(b), Number(c));
else {
  process.stderr.write('usage: machine.js wake HZ SECONDS | echo | ping PORT COUNT GAPMS\n');
  process.exit(2);
}
