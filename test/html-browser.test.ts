/**
 * End to end: a real short run writes --html, --junit and --markdown (and
 * appends its summary to GITHUB_STEP_SUMMARY); the HTML report opens in
 * headless Chromium with no console message and every chart drawn; and
 * `novaload report --format …` re-renders each file from the JSON report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderHtml, RunAggregator } from '@novaload/report';
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
