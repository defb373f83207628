/**
 * End to end, the live dashboard (issue 15 points 1, 3, 4): a real run with
 * `--dashboard 127.0.0.1:0` opened in headless Chromium while it goes (charts
 * drawn by uPlot, the request counter growing), its final state and
 * /report.html after it, and the linger ended by Ctrl-C; a distributed run
 * file's /metrics scraped by a real Prometheus, whose HTTP API then gives the
 * report's request counts with their labels; and the refusals before any
 * load (off loopback without a token, a port in use).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { renderHtml, type Report } from '@novaload/report';
import { NO_CHROMIUM, openPage } from './helpers/chromium.js';
import { startServer } from './helpers/servers.js';
import { runCli, startCli, tempDir, writeScenario, type CliRun } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';
import { NO_PROMETHEUS, startPrometheus, type Prometheus } from './helpers/prometheus.js';

/** Set to a directory (docs/) to keep the screenshots the README shows. */
const SHOTS = process.env.NOVALOAD_DASHBOARD_SHOTS;

/** The page's URL, once the command printed it. */
async function dashboardUrl(run: CliRun): Promise<string> {
  await Promise.race([run.stderrIncludes('dashboard: http'), run.result]);
  const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.stderr());
  if (!m) throw new Error(`no dashboard URL:\n${run.stderr()}`);
  return m[1]!;
}

const count = "Number(document.getElementById('requests').dataset.count || 0)";

test('dashboard in headless Chromium during a run: uPlot charts drawn from the seconds sent, the request counter grows; after it, the final state, /report.html is the final report, Ctrl-C ends the linger', { skip: NO_CHROMIUM, timeout: 90_000 }, async () => {
  const server = await startServer((_, i) => (i % 40 === 39 ? { status: 503 } : { delayMs: 3 }));
  const dir = await tempDir();
  const file = await writeScenario(dir, 'live.json', {
    name: 'live',
    target: server.url,
    executor: 'constant-vus',
    vus: 3,
    duration: '4s',
    thinkTime: '10ms',
    requests: [{ name: 'list-tasks', path: '/api/tasks' }, { name: 'create-task', method: 'POST', path: '/api/tasks', json: { name: 't' } }],
    thresholds: { 'latency.p99': { warning: '<1ms', critical: '<5s' }, errorRate: { critical: '<10%' } },
  });
  const run = startCli(['run', file, '--threads', '1', '--quiet', '--dashboard', '127.0.0.1:0', '--dashboard-linger', '60s', '--out', join(dir, 'r.json')], { timeoutMs: 80_000 });
  let page: Awaited<ReturnType<typeof openPage>> | undefined;
  try {
    const url = await dashboardUrl(run);
    page = await openPage(dir, url);
    await page.waitFor("document.querySelectorAll('.uplot canvas').length === 4 && novaloadDashboard.points().length >= 2", 15_000);
    const lengths = await page.evaluate<number[]>('Object.values(novaloadDashboard.charts).map((c) => c.data[0].length)');
    assert.equal(lengths.length, 4);
    assert.ok(lengths.every((n) => n >= 2), `every chart has the seconds sent: ${lengths}`);
    const p99s = await page.evaluate<number[]>("novaloadDashboard.charts['chart-latency'].data[3]");
    assert.ok(p99s.every((v) => v > 0), `p99 of each second drawn: ${p99s}`);
    const first = await page.evaluate<number>(count);
    assert.ok(first > 0, 'requests counted by the second message');
    if (SHOTS) await writeFile(join(SHOTS, 'dashboard-running.png'), await page.screenshot());
    const later = await page.waitFor<number>(`${count} > ${first} && ${count}`, 5000);
    assert.ok(later > first, `the counter grew: ${first} → ${later}`);

    await run.stderrIncludes('the final state stays at');
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    const state = await page.waitFor<string>("document.getElementById('state').textContent.startsWith('finished') && document.getElementById('state').textContent", 5000);
    assert.equal(state, `finished — ${report.verdict.toUpperCase()}`);
    assert.equal(await page.evaluate<number>(count), report.totals.requests, 'the page ends on the report\'s count');
    assert.equal(report.totals.requests, server.seen.length, 'which is what the server saw');
    const link = await page.evaluate<{ hidden: boolean; href: string; download: string }>("(({ hidden, href, download }) => ({ hidden, href, download }))(document.getElementById('report-link'))");
    assert.deepEqual(link, { hidden: false, href: `${url}report.html`, download: 'live.html' });
    if (SHOTS) await writeFile(join(SHOTS, 'dashboard-final.png'), await page.screenshot());
    const saved = await fetch(`${url}report.html`);
    assert.equal(saved.status, 200);
    assert.equal(await saved.text(), renderHtml(report), 'the final HTML report, as --html would write it');

    run.signal('SIGINT');
    const done = await run.result;
    assert.equal(done.code, 0, done.stderr);
    await assert.rejects(fetch(url), 'the dashboard closed with the command');
  } finally {
    await page?.close();
    run.signal('SIGKILL');
    await server.close();
  }
});

/** The first message of the dashboard's Server-Sent Events stream. */
async function firstEvent(url: URL): Promise<{ name: string; summary: { totals: { requests: number }; agents: { status: string }[] }; sections: { name: string; state: string; requests: number }[] }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  let text = '';
  for (let i = 0; i < 50 && !/^data: .*\n\n/m.test(text); i++) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  return JSON.parse(/^data: (.*)$/m.exec(text)![1]!);
}


test('/metrics scraped by a real Prometheus: a distributed run file\'s k6_http_reqs_total equals the report\'s requests, per workload and request, with testid, scenario and name labels', { skip: NO_PROMETHEUS, timeout: 90_000 }, async () => {
  const server = await startServer(() => ({ delayMs: 2 }));
  const dir = await tempDir();
  const file = await writeScenario(dir, 'mix.json', {
    name: 'mix',
    target: server.url,
    scenarios: {
      browse: { executor: 'constant-vus', vus: 2, duration: '2s', thinkTime: '20ms', requests: [{ name: 'home', path: '/browse' }] },
      api: { executor: 'constant-arrival-rate', rate: 20, duration: '1s', maxVUs: 4, startTime: '1s', requests: [{ name: 'ping', path: '/api' }, { name: 'pong', path: '/api2', weight: 2 }] },
    },
  });
  const controller = await startController(['run', file, '--agents', '1', '--quiet', '--dashboard', '127.0.0.1:0', '--dashboard-linger', '60s', '--tag', 'testid=dash-e2e', '--out', join(dir, 'r.json')], 80_000);
  let prometheus: Prometheus | undefined;
  const agent = { run: undefined as CliRun | undefined };
  try {
    const dashboard = new URL(await dashboardUrl(controller));
    // The counts are read after the run, so the agent need not wait for Prometheus to be ready.
    agent.run = startAgent(controller.url, ['--once']);
    prometheus = await startPrometheus([], dashboard.host);
    await controller.stderrIncludes('the final state stays at');
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    assert.equal(report.totals.requests, server.seen.length);
    // The scrapes after the run's end carry the final counts: wait (bounded) for one.
    const total = `sum(k6_http_reqs_total{testid="dash-e2e"})`;
    const until = Date.now() + 15_000;
    let seen = NaN;
    while (seen !== report.totals.requests && Date.now() < until) {
      seen = (await prometheus.query(total))[0]?.value ?? NaN;
      if (seen !== report.totals.requests) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(seen, report.totals.requests, 'Prometheus\'s request counter is the report\'s totals.requests');
    const series = await prometheus.query('sum by (scenario, name, job) (k6_http_reqs_total{testid="dash-e2e"})');
    const rows = series.map((s) => [s.metric.scenario, s.metric.name, s.metric.job, s.value]).sort();
    const expected = Object.entries(report.scenarios!).flatMap(([name, r]) => r.endpoints.map((e) => [name, e.name, 'novaload', e.totals.requests])).sort();
    assert.deepEqual(rows, expected, 'one series per workload and request, each with its section\'s count');
    const p99 = await prometheus.query('k6_http_req_duration_p99{testid="dash-e2e",scenario="api",name="ping"}');
    assert.equal(p99[0]!.value, report.scenarios!.api!.endpoints[0]!.latency.p99 / 1000, 'p99 in seconds, as the report has it');
    // The page's stream, as a new page gets it: the run's figures with a row per workload, each its section's.
    const hello = await firstEvent(new URL('/events', dashboard));
    assert.equal(hello.name, 'mix');
    assert.equal(hello.summary.totals.requests, report.totals.requests);
    assert.deepEqual(hello.sections.map((w) => [w.name, w.state, w.requests]), Object.entries(report.scenarios!).map(([name, r]) => [name, 'done', r.totals.requests]));
    assert.deepEqual(hello.summary.agents.map((a) => a.status), ['ok'], 'the distributed run\'s agent');
    controller.signal('SIGINT');
    assert.equal((await controller.result).code, 0);
    assert.equal((await agent.run.result).code, 0);
  } finally {
    await prometheus?.close();
    controller.signal('SIGKILL');
    agent.run?.signal('SIGKILL');
    await server.close();
  }
});

test('refused before any load: --dashboard off loopback without a token (104), a dashboard port in use (107)', async () => {
  const server = await startServer();
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  try {
    const open = await runCli(['bench', `${server.url}/x`, '-d', '1s', '--dashboard', '0.0.0.0:5665'], { env: { NOVALOAD_TOKEN: '' } });
    assert.equal(open.code, 104, open.stderr);
    assert.match(open.stderr, /--dashboard 0\.0\.0\.0:5665 is off loopback: a token is required \(--token or NOVALOAD_TOKEN\)/);
    const port = (busy.address() as { port: number }).port;
    const taken = await runCli(['bench', `${server.url}/x`, '-d', '1s', '--dashboard', `127.0.0.1:${port}`]);
    assert.equal(taken.code, 107, taken.stderr);
    assert.match(taken.stderr, new RegExp(`--dashboard: cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE \\(port taken`));
    assert.equal(server.seen.length, 0, 'nothing was sent');
  } finally {
    busy.close();
    await server.close();
  }
});
