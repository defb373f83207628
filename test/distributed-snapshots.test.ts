/**
 * End to end, issue 10 points 1, 3, 4 and 5 (decompression): fake agents that
 * send forged or malformed snapshots over the real protocol to a real
 * controller, next to a real agent. Each forger is dropped and named in
 * `failures`, the controller stays responsive, every report file is written
 * with exactly what the honest agent sent, and the run exits 111.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntervalSnapshot, Report } from '@novaload/report';
import { FakeAgent, fakeSnapshot } from './helpers/fake-agent.js';
import { forgedHistogram, inflationBomb } from './helpers/forged-hdr.js';
import { startServer } from './helpers/servers.js';
import { tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const NAME = 'get';
const scenario = (url: string) => ({ name: 'forged', target: url, executor: 'constant-arrival-rate', rate: 40, duration: '1s', maxVUs: 20, requests: [{ name: NAME, path: '/' }] });

/** An honest snapshot of 10 samples of NAME, then `forge` changes it. */
function forged(share: number, forge: (s: IntervalSnapshot) => void): IntervalSnapshot {
  const s = fakeSnapshot(share, 0, 0, { [NAME]: { latenciesUs: Array.from({ length: 10 }, (_, i) => 1000 + i * 100) } });
  forge(s);
  return s;
}

/** Each forger: its name, what it does to an honest snapshot, and what the controller must say about it. */
const FORGERS: { name: string; forge: (s: IntervalSnapshot) => void; reason: RegExp }[] = [
  { name: 'zero-run', forge: (s) => (s.endpoints[NAME]!.latency = forgedHistogram([-(2 ** 50)])), reason: /latency histogram: entry at byte 40 is truncated or longer than 5 bytes/ },
  { name: 'sums', forge: (s) => (s.endpoints[NAME]!.ok = 3), reason: /counts do not add up/ },
  { name: 'base64', forge: (s) => (s.endpoints[NAME]!.serviceTime = 'not base64 at all!!'), reason: /serviceTime histogram.*base64/ },
  { name: 'not-hdr', forge: (s) => (s.endpoints[NAME]!.ttfb = Buffer.from('hello, not a histogram').toString('base64')), reason: /ttfb histogram.*V2/ },
  { name: 'trillion', forge: (s) => Object.assign(s.endpoints[NAME]!, { requests: 1e12, ok: 1e12 }), reason: /requests 1000000000000 but its latency histogram holds 10/ },
  { name: 'huge', forge: (s) => Object.assign(s.endpoints[NAME]!, { requests: 1e300, ok: 1e300 }), reason: /requests.*not an integer in 0\.\.2\^53/ },
  { name: 'late', forge: (s) => (s.second = 1e9), reason: /second 1000000000 is past the run/ },
  { name: 'stranger', forge: (s) => ((s.endpoints['not-in-the-scenario'] = s.endpoints[NAME]!), delete s.endpoints[NAME]), reason: /request "not-in-the-scenario" is not in the scenario/ },
];

test('forged snapshots: each forger is dropped and named in failures; the report holds exactly what the honest agent sent (111)', async () => {
  const dir = await tempDir();
  const server = await startServer();
  try {
    const file = await writeScenario(dir, 'f.json', scenario(server.url));
    const out = join(dir, 'r.json');
    const html = join(dir, 'r.html');
    const ctl = await startController(['run', file, '--agents', String(FORGERS.length + 1), '--quiet', '--out', out, '--html', html], 30_000);
    const fakes = await Promise.all(FORGERS.map((f) => FakeAgent.connect(ctl.url, { hello: { name: f.name, threads: 1 } })));
    const honest = startAgent(ctl.url, ['--name', 'honest', '--once'], 30_000);
    const closes = await Promise.all(
      fakes.map(async (agent, i) => {
        const { plan } = await agent.join();
        const share = (plan.shares as number[])[0]!;
        agent.snapshot(plan.runId, forged(share, FORGERS[i]!.forge));
        return agent.whenClosed();
      }),
    );
    const r = await ctl.result;
    assert.equal(r.code, 111, r.stderr);
    assert.equal((await honest.result).code, 0);
    closes.forEach((c, i) => assert.match(c.reason, FORGERS[i]!.reason, `${FORGERS[i]!.name} was told why`));
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    assert.ok((await stat(html)).size > 0, 'the HTML report is written too');
    assert.equal(report.totals.requests, server.seen.length, 'only the honest agent’s requests are counted');
    assert.ok(server.seen.length > 0);
    assert.deepEqual(report.endpoints.map((e) => e.name), [NAME], 'no forged request name reaches the report');
    assert.ok(report.timeline.every((p) => p.t < 5), 'no forged second reaches the timeline');
    for (const [i, f] of FORGERS.entries()) {
      const failure = report.failures?.find((x) => x.agent === f.name);
      assert.ok(failure, `${f.name} is named in failures`);
      assert.match(failure.message, FORGERS[i]!.reason);
      assert.equal(report.agents.find((a) => a.name === f.name)?.status, 'failed');
    }
    assert.equal(report.agents.find((a) => a.name === 'honest')?.status, 'ok');
    assert.equal(report.agents.find((a) => a.name === 'honest')?.requests, server.seen.length);
    for (const f of FORGERS) assert.match(r.stderr, new RegExp(`agent ${f.name} .*snapshot refused`));
  } finally {
    await server.close();
  }
});

/** Peak resident memory of a running process, from /proc (Linux), in MiB. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

test('an HDR decompression bomb is refused at the output limit: the controller stays small and the honest agent’s data survives', async () => {
  const dir = await tempDir();
  const server = await startServer();
  try {
    const file = await writeScenario(dir, 'b.json', scenario(server.url));
    const out = join(dir, 'r.json');
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', out], 30_000);
    const bomber = await FakeAgent.connect(ctl.url, { hello: { name: 'bomber', threads: 1 } });
    const honest = startAgent(ctl.url, ['--name', 'honest', '--once'], 30_000);
    const { plan } = await bomber.join();
    const bomb = inflationBomb(96);
    const before = await peakRssMiB(ctl.child.pid!);
    bomber.snapshot(plan.runId, forged((plan.shares as number[])[0]!, (s) => Object.assign(s.endpoints[NAME]!, { latency: bomb, serviceTime: bomb, ttfb: bomb })));
    const closed = await bomber.whenClosed();
    const after = await peakRssMiB(ctl.child.pid!);
    process.stderr.write(`controller peak RSS: ${before.toFixed(0)} MiB before the bomb (${(bomb.length / 1024).toFixed(0)} KiB of base64 ×3), ${after.toFixed(0)} MiB after\n`);
    assert.match(closed.reason, /latency histogram/);
    assert.ok(after - before < 64, `peak RSS grew by ${(after - before).toFixed(0)} MiB`);
    const r = await ctl.result;
    assert.equal(r.code, 111, r.stderr);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    assert.equal(report.totals.requests, server.seen.length);
    assert.equal(report.failures?.[0]?.agent, 'bomber');
    await honest.result;
  } finally {
    await server.close();
  }
});
