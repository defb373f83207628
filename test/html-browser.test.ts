/**
 * End to end: a real short run writes --html, --junit and --markdown (and
 * appends its summary to GITHUB_STEP_SUMMARY); the HTML report opens in
 * headless Chromium with no console message and every chart drawn; and
 * `novaload report --format …` re-renders each file from the JSON report.
 * A run file's report draws a section per workload, each from its own data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderHtml, RunAggregator, type Report } from '@novaload/report';
import { fakeSnapshot } from './helpers/fake-agent.js';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const NO_CHROMIUM = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`;
const XSD = fileURLToPath(new URL('../../packages/report/test/fixtures/junit.xsd', import.meta.url));
const HOSTILE = '</script><img src=x onerror="document.title=1">';
const CHARTS = ['chart-latency', 'chart-throughput', 'chart-success', 'chart-errors', 'chart-load', 'chart-distribution'];

/** Run headless Chromium on a file with a throwaway profile; killed (with its children) after 30 s. */
function chromium(dir: string, name: string, args: string[], page: string): Promise<{ stdout: string; stderr: string }> {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  const child = spawn(CHROMIUM, [...flags, `--user-data-dir=${join(dir, `profile-${name}`)}`, '--enable-logging=stderr', '--v=0', ...args, pathToFileURL(page).href], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`chromium ${name} exited ${code}\n${stderr}`));
    });
  });
}

test('a real run\'s HTML report renders in headless Chromium: no console message, every chart drawn; --junit and --markdown written', { skip: NO_CHROMIUM, timeout: 60_000 }, async (t) => {
  const server = await startServer((_, i) => (i % 50 === 49 ? { status: 503 } : { delayMs: 2 }));
  try {
    const dir = await tempDir();
    const scenario = await writeScenario(dir, 'browser.json', {
      name: 'browser',
      target: server.url,
      executor: 'constant-vus',
      vus: 4,
      duration: '3s',
      requests: [{ name: 'list-tasks', path: '/api/tasks' }, { name: HOSTILE, path: '/api/x?a=1&b=2' }],
      thresholds: { 'latency.p99': { warning: '<1ms', critical: '<5s' }, errorRate: { critical: '<50%' } },
    });
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '# before\n');
    const outputs = ['--out', 'r.json', '--html', 'r.html', '--junit', 'r.xml', '--markdown', 'r.md'];
    const run = await runCli(['run', scenario, '--threads', '1', '--quiet', ...outputs], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    assert.equal(run.code, 0, run.stderr);
    const [html, junit, markdown] = await Promise.all(['r.html', 'r.xml', 'r.md'].map((f) => readFile(join(dir, f), 'utf8')));

    const shot = join(dir, 'report.png');
    const [dom] = await Promise.all([
      chromium(dir, 'dom', ['--dump-dom'], join(dir, 'r.html')),
      chromium(dir, 'shot', [`--screenshot=${shot}`, '--window-size=1280,2000', '--hide-scrollbars'], join(dir, 'r.html')),
    ]);
    t.diagnostic(`screenshot (outside the repo): ${shot}`);
    assert.deepEqual(dom.stderr.split('\n').filter((l) => l.includes(':CONSOLE')), [], 'the page logged nothing: no error, no CSP violation');
    const body = /<body([^>]*)>/.exec(dom.stdout)?.[1] ?? '';
    assert.match(body, /data-rendered="6"/, body);
    assert.doesNotMatch(body, /data-errors/);
    for (const id of CHARTS) {
      const chart = dom.stdout.slice(dom.stdout.indexOf(`id="${id}"`), dom.stdout.indexOf('</figure>', dom.stdout.indexOf(`id="${id}"`)));
      assert.match(chart, /<svg [^>]*class="plot"/, id);
      assert.match(chart, /<path d="M[\d.]+ [\d.]+ L/, `${id} has a line`);
    }
    assert.ok(!/<img/i.test(dom.stdout), 'the hostile request name stayed text');
    assert.ok(dom.stdout.includes('&lt;/script&gt;&lt;img src=x onerror="document.title=1"&gt;'));
    assert.ok((await stat(shot)).size > 20_000, 'the screenshot has content');

    assert.match(junit, /<testsuite name="novaload\.browser" tests="3" failures="0" errors="0"/);
    assert.match(junit, /<system-out>WARNING: latency\.p99 = /);
    if (!spawnSync('xmllint', ['--version']).error) {
      const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, join(dir, 'r.xml')], { encoding: 'utf8' });
      assert.equal(lint.status, 0, lint.stderr);
    }
    assert.ok(markdown.startsWith('## ⚠️ novaload: browser — WARN\n'), markdown);
    assert.equal(await readFile(summary, 'utf8'), `# before\n${markdown}`);

    for (const [format, file] of [['html', html], ['junit', junit], ['markdown', markdown]] as const) {
      const again = await runCli(['report', 'r.json', '--format', format], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, file, `report --format ${format} equals the file the run wrote`);
    }
  } finally {
    await server.close();
  }
});

test('in Chromium a partial last second (400 ms of a 3.4 s run) is drawn at its rate: the throughput line stays flat, no cliff', { skip: NO_CHROMIUM, timeout: 60_000 }, async () => {
  const agg = new RunAggregator({ scenario: 'partial', target: 'http://127.0.0.1:1', executor: 'constant-arrival-rate', startedAt: new Date(0), requests: [{ name: 'home', method: 'GET', path: '/' }] }, 1);
  for (let second = 0; second < 4; second++) agg.add(fakeSnapshot(0, second, second, { home: { latenciesUs: Array.from({ length: second < 3 ? 50 : 20 }, () => 10_000) } }));
  const dir = await tempDir();
  const page = join(dir, 'partial.html');
  await writeFile(page, renderHtml(agg.finish({ durationMs: 3400, interrupted: false, thresholds: {} })));
  const dom = await chromium(dir, 'partial', ['--dump-dom'], page);
  assert.deepEqual(dom.stderr.split('\n').filter((l) => l.includes(':CONSOLE')), [], 'the page logged nothing');
  assert.match(/<body([^>]*)>/.exec(dom.stdout)?.[1] ?? '', /data-rendered="6"/);
  const throughput = dom.stdout.slice(dom.stdout.indexOf('id="chart-throughput"'));
  const line = /<path d="([^"]+)" class="line s-rps"/.exec(throughput)?.[1] ?? '';
  const ys = [...line.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => m[2]);
  assert.equal(ys.length, 4, line);
  assert.deepEqual(new Set(ys).size, 1, `20 requests in 0.4 s is 50 req/s like the seconds before: ${line}`);
  assert.ok(dom.stdout.includes('The last second (3 s) lasted 0.4 s'));
});

test('a run file\'s report: in Chromium the run\'s six charts and each workload section\'s six are drawn from its own data, its figures are its JSON\'s; novaload report re-renders every format of the saved run report', { skip: NO_CHROMIUM, timeout: 60_000 }, async () => {
  // api's 120 ms answers make its 5 iterations per VU last 0.6 s: long enough for its charts over time (a shorter run is one uncharted sliver).
  const server = await startServer((req) => (req.url === '/api' ? { delayMs: 120 } : {}));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'mix.json', {
      name: 'release-check',
      target: server.url,
      thresholds: { 'latency.p99': '<5s' },
      scenarios: {
        browse: { executor: 'constant-vus', vus: 2, duration: '1500ms', thinkTime: '20ms', requests: [{ name: 'home', path: '/browse' }] },
        api: { executor: 'per-vu-iterations', vus: 2, iterations: 5, startTime: '1s', requests: [{ name: 'ping', path: '/api' }] },
      },
    });
    const outputs = ['--out', 'r.json', '--html', 'r.html', '--csv', 'r.csv', '--junit', 'r.xml', '--markdown', 'r.md'];
    const run = await runCli(['run', file, '--threads', '2', '--quiet', ...outputs], { cwd: dir, timeoutMs: 20_000 });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    const workloads = Object.values(report.scenarios ?? {});
    assert.deepEqual(workloads.map((w) => [w.scenario, w.totals.requests]), [['browse', server.seen.filter((s) => s.url === '/browse').length], ['api', 10]]);
    assert.equal(report.scenarios!.api!.totals.iterations, 10, 'per-vu-iterations: 2 VUs x 5');

    const html = await readFile(join(dir, 'r.html'), 'utf8');
    const dom = await chromium(dir, 'run-dom', ['--dump-dom'], join(dir, 'r.html'));
    assert.deepEqual(dom.stderr.split('\n').filter((l) => l.includes(':CONSOLE')), [], 'the page logged nothing');
    const body = /<body([^>]*)>/.exec(dom.stdout)?.[1] ?? '';
    assert.match(body, /data-rendered="18"/, `6 charts for the run and 6 per workload: ${body}`);
    assert.doesNotMatch(body, /data-errors/);
    workloads.forEach((w, i) => {
      const n = i + 1;
      const from = dom.stdout.indexOf(`<section class="workload" id="scenario-${n}">`);
      assert.ok(from > 0, `section of ${w.scenario}`);
      const section = dom.stdout.slice(from, dom.stdout.indexOf('</section>', from));
      assert.ok(section.includes(`<h2>Scenario: ${w.scenario}</h2>`));
      assert.equal(section.match(/<svg [^>]*class="plot"/g)?.length, 6, `${w.scenario}: six charts drawn`);
      for (const id of CHARTS) assert.match(section.slice(section.indexOf(`id="s${n}-${id}"`)), /^[^]*?<path d="M[\d.]+ [\d.]+/, `${w.scenario}: ${id} has a line`);
      const data = JSON.parse(new RegExp(`<script type="application/json" id="novaload-data-${n}">([^<]*)</script>`).exec(html)![1]!) as { t: number[] };
      const throughput = section.slice(section.indexOf(`id="s${n}-chart-throughput"`), section.indexOf('</figure>', section.indexOf(`id="s${n}-chart-throughput"`)));
      assert.equal(throughput.match(/class="dot s-rps"/g)?.length, data.t.length, `${w.scenario}: a point per second of its own timeline`);
      assert.ok(section.includes(`<dt>Requests</dt><dd>${w.totals.requests}</dd>`), `${w.scenario}: its requests`);
      assert.ok(section.includes(`<dt>Completed iterations</dt><dd>${w.totals.iterations}</dd>`), `${w.scenario}: its iterations`);
    });

    const csv = await readFile(join(dir, 'r.csv'), 'utf8');
    const overall = csv.trimEnd().split('\n').filter((l) => l.startsWith('(all),')).map((l) => l.split(',').slice(-3));
    assert.deepEqual(overall, [[String(report.totals.dropped), String(report.totals.iterations), ''], ['0', String(report.scenarios!.browse!.totals.iterations), 'browse'], ['0', '10', 'api']]);
    const [junit, markdown] = await Promise.all(['r.xml', 'r.md'].map((f) => readFile(join(dir, f), 'utf8')));
    // (text: test/run-file.test.ts)
    const written: Record<string, string> = { html, junit: junit!, markdown: markdown! };
    const [csvAgain, ...again] = await Promise.all([
      runCli(['report', 'r.json', '--format', 'csv', '--out', 'again.csv'], { cwd: dir }),
      ...Object.keys(written).map((format) => runCli(['report', 'r.json', '--format', format], { cwd: dir })),
    ]);
    Object.entries(written).forEach(([format, expected], i) => {
      assert.equal(again[i]!.code, 0, again[i]!.stderr);
      assert.equal(again[i]!.stdout, expected, `report --format ${format} re-renders the saved run report as run wrote it`);
    });
    assert.equal(csvAgain!.code, 0, csvAgain!.stderr);
    assert.equal(await readFile(join(dir, 'again.csv'), 'utf8'), csv, 'report --format csv: the summary with every workload\'s rows');
    assert.equal(await readFile(join(dir, 'again.timeline.csv'), 'utf8'), await readFile(join(dir, 'r.timeline.csv'), 'utf8'), 'and the timeline beside it');
  } finally {
    await server.close();
  }
});
