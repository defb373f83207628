import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.js';
import { memoryIo } from './helpers/io.js';

const io = memoryIo;

async function scenarioFile(rel: string, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-validate-'));
  const path = join(dir, rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify({ executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }], ...extra }));
  return path;
}

test('validate: a file without "target" passes with a note (run --target may supply it), exit 0', async () => {
  const file = await scenarioFile('no-target.json');
  const x = io();
  assert.equal(await main(['validate', file], x), 0, x.err);
  assert.match(x.out, new RegExp(`^ok ${file}: "no-target" constant-vus`, 'm'));
  assert.match(x.out, new RegExp(`^note ${file}: no "target" in the file: run it with --target URL \\(or set "target"\\)$`, 'm'));
  assert.equal(x.err, '');
});

test('validate --target: accepted and checked as run checks it; no note', async () => {
  const file = await scenarioFile('no-target.json');
  const ok = io();
  assert.equal(await main(['validate', file, '--target', 'http://127.0.0.1:8080'], ok), 0, ok.err);
  assert.match(ok.out, /^ok /m);
  assert.doesNotMatch(ok.out, /note/);
  const bad = io();
  assert.equal(await main(['validate', file, '--target', 'nope'], bad), 104);
  assert.match(bad.err, /--target: "nope" is not an absolute URL/);
  const refused = await scenarioFile('allow.json', { allowHosts: ['api.internal'] });
  const host = io();
  assert.equal(await main(['validate', refused, '--target', 'http://[::1]:8080'], host), 104);
  assert.match(host.err, /::1/);
});

test('run still needs a target: from the file or --target (104 otherwise)', async () => {
  const file = await scenarioFile('no-target.json');
  const x = io();
  assert.equal(await main(['run', file, '--quiet'], x), 104);
  assert.match(x.err, /\$\.target: required field is missing \(set "target" in the file or pass --target\)/);
});

test('validate refuses colliding scenario names as run does, naming both files and a new name', async () => {
  const a = await scenarioFile('envA/smoke.json', { target: 'http://127.0.0.1:9' });
  const b = await scenarioFile('envB/smoke.json', { target: 'http://127.0.0.1:9' });
  const x = io();
  assert.equal(await main(['validate', a, b], x), 104);
  assert.match(x.err, new RegExp(`${b}: \\$\\.name: scenario name "smoke" collides with ${a}: their reports would overwrite each other \\(give one of them its own "name", e.g. "name": "smoke-envB"\\)`));
});

test('names that would write one report file collide too ("smoke test" and "Smoke-Test" → r.smoke-test.json); distinct names pass', async () => {
  const a = await scenarioFile('a.json', { name: 'smoke test', target: 'http://127.0.0.1:9' });
  const b = await scenarioFile('b.json', { name: 'Smoke-Test', target: 'http://127.0.0.1:9' });
  const c = await scenarioFile('c.json', { name: 'smoke', target: 'http://127.0.0.1:9' });
  const x = io();
  assert.equal(await main(['validate', a, b, c], x), 104);
  assert.equal(x.err.match(/collides with/g)?.length, 1, x.err);
  assert.match(x.err, new RegExp(`${b}: \\$\\.name: scenario name "Smoke-Test" collides with ${a}`));
  const y = io();
  assert.equal(await main(['validate', a, c], y), 0, y.err);
});
