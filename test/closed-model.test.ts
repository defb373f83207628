/**
 * End to end: closed models — the ramp of ramping-vus shows in the server's
 * arrival times, and think time separates a VU's requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

test('ramping-vus 0→8 over 2 s: the request rate grows with the VUs, one connection per VU', async () => {
  const server = await startServer(() => ({ delayMs: 10 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'ramp.json', {
      name: 'ramp',
      target: server.url,
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [{ duration: '2s', target: 8 }],
      gracefulStop: '1s',
      requests: [{ path: '/r' }],
    });
    const r = await runCli(['run', file, '--threads', '2', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const t0 = Math.min(...server.seen.map((s) => s.at));
    const quarter = (k: number): number => server.seen.filter((s) => s.at - t0 >= k * 500 && s.at - t0 < (k + 1) * 500).length;
    const [q0, q1, q2, q3] = [quarter(0), quarter(1), quarter(2), quarter(3)];
    assert.ok(q0 < q1 && q1 < q2 && q2 < q3, `requests per 500 ms should grow: ${q0}, ${q1}, ${q2}, ${q3}`);
    // Per-VU connections: at most 8 distinct client ports (VUs 0..7 each keep one connection).
    const ports = new Set(server.seen.map((s) => s.remotePort));
    assert.ok(ports.size <= 8 && ports.size >= 6, `${ports.size} connections for 8 VUs`);
  } finally {
    await server.close();
  }
});

test('think time 200–300 ms separates each VU’s consecutive requests', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'think.json', {
      name: 'think',
      target: server.url,
      executor: 'constant-vus',
      vus: 3,
      duration: '2s',
      thinkTime: { min: '200ms', max: '300ms' },
      requests: [{ path: '/t' }],
    });
    const r = await runCli(['run', file, '--threads', '1', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const byConnection = new Map<number, number[]>();
    for (const s of server.seen) byConnection.set(s.remotePort, [...(byConnection.get(s.remotePort) ?? []), s.at]);
    assert.equal(byConnection.size, 3);
    let gaps = 0;
    for (const times of byConnection.values()) {
      for (let i = 1; i < times.length; i++) {
        const gap = times[i]! - times[i - 1]!;
        assert.ok(gap >= 199, `gap ${gap.toFixed(1)} ms is shorter than the 200 ms think time`);
        assert.ok(gap < 400, `gap ${gap.toFixed(1)} ms is far above the 300 ms think time`);
        gaps++;
      }
    }
    // 2 s / ~250 ms: about 8 requests per VU.
    assert.ok(server.seen.length >= 18 && server.seen.length <= 30, `saw ${server.seen.length}`);
    assert.ok(gaps > 10);
  } finally {
    await server.close();
  }
});

test('ramp-down: a VU removed while its request is in flight finishes it; nothing is cut off or lost', async () => {
  const server = await startServer(() => ({ delayMs: 250 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'down.json', {
      name: 'down',
      target: server.url,
      executor: 'ramping-vus',
      startVUs: 6,
      stages: [{ duration: '600ms', target: 6 }, { duration: '600ms', target: 0 }],
      gracefulStop: '5s',
      requests: [{ path: '/slow' }],
    });
    const out = join(dir, 'r.json');
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(out, 'utf8'));
    // Every request the server saw completed and was counted ok: ramp-down waited for them.
    assert.equal(report.totals.requests, server.seen.length);
    assert.equal(report.totals.ok, server.seen.length);
    // The VUs left one by one: the last requests started late in the ramp-down, fewer than at the start.
    const t0 = Math.min(...server.seen.map((s) => s.at));
    const early = server.seen.filter((s) => s.at - t0 < 200).length;
    const late = server.seen.filter((s) => s.at - t0 >= 900).length;
    assert.equal(early, 6);
    assert.ok(late < early, `late ${late} vs early ${early}`);
  } finally {
    await server.close();
  }
});
