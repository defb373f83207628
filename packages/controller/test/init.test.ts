import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../src/main.js';
import { memoryIo } from './helpers/io.js';

/** The runbook's KPI table ("Key Performance Indicators": api_latency in ms, error_rate in percent) as warning and critical levels. */
const RUNBOOK = {
  'latency.p50': { warning: '<100ms', critical: '<200ms' },
  'latency.p95': { warning: '<500ms', critical: '<1000ms' },
  'latency.p99': { warning: '<1000ms', critical: '<2000ms' },
  errorRate: { warning: '<0.1%', critical: '<1%' },
};

async function inDir(body: (dir: string, run: (argv: string[]) => Promise<{ code: number; out: string; err: string }>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-init-'));
  try {
    await body(dir, async (argv) => {
      const io = memoryIo();
      io.cwd = dir;
      const code = await main(argv, io);
      return { code, out: io.out, err: io.err };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('init prints a starter: the URL\'s origin and path, a 30 s ramp to 10 VUs, the runbook\'s KPI levels; the YAML form is the same data', async () => {
  await inDir(async (_dir, run) => {
    const json = await run(['init', 'https://localhost:8443/v1/health?deep=1#top']);
    assert.equal(json.code, 0, json.err);
    const starter = JSON.parse(json.out);
    assert.deepEqual(starter, {
      $schema: './node_modules/novaload/scenarios/schema.json',
      name: 'localhost-8443',
      target: 'https://localhost:8443',
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [{ duration: '5s', target: 10 }, { duration: '20s', target: 10 }, { duration: '5s', target: 0 }],
      thinkTime: '1s',
      requests: [{ name: 'GET /v1/health', method: 'GET', path: '/v1/health?deep=1' }],
      thresholds: RUNBOOK,
    });
    const yaml = await run(['init', 'https://localhost:8443/v1/health?deep=1', '--yaml', '--name', 'health']);
    assert.equal(yaml.code, 0, yaml.err);
    assert.match(yaml.out, /^# yaml-language-server: \$schema=\.\/node_modules\/novaload\/scenarios\/schema\.json\n/);
    assert.deepEqual(parse(yaml.out), { ...starter, name: 'health' });
    assert.equal(JSON.parse((await run(['init', 'http://[::1]:8080/'])).out).name, 'ipv6-1-8080');
  });
});

test('init --out writes the file (YAML when it ends in .yaml), validate accepts both, and an existing file is kept unless --force', async () => {
  await inDir(async (dir, run) => {
    assert.equal((await run(['init', 'http://127.0.0.1:8080/', '--out', 'smoke.json'])).code, 0);
    const wrote = await run(['init', 'http://127.0.0.1:8080/', '--out', 'smoke.yml', '--name', 'smoke-yaml']);
    assert.equal(wrote.code, 0, wrote.err);
    assert.equal(wrote.out, `wrote ${join(dir, 'smoke.yml')}: check it with \`novaload validate smoke.yml\`, then \`novaload run smoke.yml\`\n`);
    assert.equal(parse(await readFile(join(dir, 'smoke.yml'), 'utf8')).name, 'smoke-yaml');
    const checked = await run(['validate', 'smoke.json', 'smoke.yml']);
    assert.equal(checked.code, 0, checked.err);
    assert.match(checked.out, /^ok .*smoke\.json: "127-0-0-1-8080" ramping-vus, 1 request\(s\), 30s planned, 4 threshold\(s\)\nok .*smoke\.yml: "smoke-yaml" ramping-vus/);

    await writeFile(join(dir, 'mine.json'), 'mine');
    const refused = await run(['init', 'http://127.0.0.1/', '--out', 'mine.json']);
    assert.equal(refused.code, 104);
    assert.equal(refused.err, `novaload: ${join(dir, 'mine.json')} already exists: novaload init does not overwrite it (add --force to replace it)\n`);
    assert.equal(await readFile(join(dir, 'mine.json'), 'utf8'), 'mine');
    assert.equal((await run(['init', 'http://127.0.0.1/', '--out', 'mine.json', '--force'])).code, 0);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'mine.json'), 'utf8')).thresholds, RUNBOOK);
  });
});

test('init refuses what is not an http(s) URL, credentials in it, --yaml into a .json file and an empty --name: 104, nothing written', async () => {
  await inDir(async (dir, run) => {
    // A loopback URL carrying credentials, built rather than written out.
    const withCredentials = Object.assign(new URL('http://127.0.0.1/'), { username: 'user', password: 'secret' }).href;
    const cases: [string[], RegExp][] = [
      [['init', 'not a url'], /^novaload: "not a url" is not a URL: write it whole, e\.g\. https:\/\/staging\.example\.com\/api\/health$/],
      [['init', 'ftp://127.0.0.1/x'], /^novaload: novaload init takes an http:\/\/ or https:\/\/ URL, not ftp: \(ftp:\/\/127\.0\.0\.1\/x\)$/],
      [['init', withCredentials], /^novaload: http:\/\/127\.0\.0\.1: credentials in the URL are not written to a scenario file: .*Authorization header/],
      [['init', 'http://127.0.0.1/', '--yaml', '--out', 'x.json'], /^novaload: --yaml writes YAML, but x\.json would be read as JSON: name it \.yaml or \.yml, or drop --yaml$/],
      [['init', 'http://127.0.0.1/', '--name', '', '--out', 'empty.json'], /^novaload: invalid input, nothing was sent:\nnovaload init: \$\.name: must not be empty$/],
    ];
    for (const [argv, expected] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 104, argv.join(' '));
      assert.match(r.err.trimEnd(), expected);
      assert.equal(r.out, '');
    }
    await assert.rejects(readFile(join(dir, 'x.json')));
    await assert.rejects(readFile(join(dir, 'empty.json')));
  });
});
