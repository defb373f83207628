import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stepScenario, stepSource } from '../src/breakpoint/steps.js';
import { withFiles } from './helpers/files.js';
import { formatProblems, InputError, loadFile, loadScenario, type Problem } from '../src/scenario/index.js';

/** The problems a load throws (fails when it loads). */
async function problemsOf(load: Promise<unknown>): Promise<Problem[]> {
  try {
    await load;
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.problems;
  }
  return assert.fail('expected an InputError');
}

const SCENARIO = {
  name: 'same',
  target: 'http://127.0.0.1:1',
  executor: 'ramping-vus',
  stages: [{ duration: '1s', target: 2 }, { duration: '2s', target: 2 }],
  thinkTime: { min: '10ms', max: '20ms' },
  requests: [{ name: 'a', method: 'POST', path: '/a', json: { n: 1, flag: false, tags: ['x'] }, weight: 2 }, { name: 'b', path: '/b' }],
  thresholds: { 'latency.p95': { warning: '<500ms', critical: '<1s' }, errorRate: '<1%' },
};

const SCENARIO_YAML = `name: same
target: http://127.0.0.1:1
executor: ramping-vus
stages:
  - { duration: 1s, target: 2 }
  - duration: 2s
    target: 2
thinkTime: { min: 10ms, max: 20ms }
requests:
  - name: a
    method: POST
    path: /a
    json: { n: 1, flag: false, tags: [x] }
    weight: 2
  - name: b
    path: /b
thresholds:
  latency.p95: { warning: <500ms, critical: <1s }
  errorRate: <1%
`;

test('a .yaml, .yml or .YAML file resolves exactly as the same scenario in JSON', async () => {
  await withFiles({ 's.json': JSON.stringify(SCENARIO), 's.yaml': SCENARIO_YAML, 's.yml': SCENARIO_YAML, 'S.YAML': `\uFEFF${SCENARIO_YAML}` }, async (dir) => {
    const json = await loadScenario(join(dir, 's.json'));
    for (const f of ['s.yaml', 's.yml', 'S.YAML']) assert.deepEqual(await loadScenario(join(dir, f)), json, f);
  });
});

test('YAML 1.2 core schema: no/yes/on stay strings, numbers stay numbers, a file with no name is named by its file', async () => {
  const text = 'description: no\ntarget: http://127.0.0.1:1\nexecutor: constant-vus\nvus: 0x2\nduration: 1s\nrequests:\n  - path: /\n    json: { a: yes, b: on, c: 012, d: 1.5, e: null, f: true }\n';
  await withFiles({ 'plain.yaml': text }, async (dir) => {
    const s = await loadScenario(join(dir, 'plain.yaml'));
    assert.equal(s.name, 'plain');
    assert.equal(s.executor.type === 'constant-vus' && s.executor.vus, 2);
    assert.equal(Buffer.from(s.requests[0]!.body ?? '').toString(), JSON.stringify({ a: 'yes', b: 'on', c: 12, d: 1.5, e: null, f: true }));
  });
});

test('every problem names the YAML line and column of its node: the value, the key of an unknown field, the mapping of a missing one', async () => {
  const text = [
    'name: bad', //                                   1
    'target: http://127.0.0.1:1', //                  2
    'vus: 0', //                                      3
    'duration: 1s', //                                4
    'requests:', //                                   5
    '  - path: /', //                                 6
    '  - path: /x', //                                7
    '    method: GTE', //                             8
    '    colour: red', //                             9
    'thresholds:', //                                 10
    '  latency.p95: { critical: "<1 s" }', //         11
  ].join('\n');
  await withFiles({ 'bad.yaml': text, 'bad.json': JSON.stringify({ name: 'bad', target: 'http://127.0.0.1:1', vus: 0, duration: '1s', requests: [{ path: '/' }, { path: '/x', method: 'GTE', colour: 'red' }], thresholds: { 'latency.p95': { critical: '<1 s' } } }) }, async (dir) => {
    const file = join(dir, 'bad.yaml');
    const problems = await problemsOf(loadScenario(file));
    const at = Object.fromEntries(problems.map((p) => [p.path, `${p.line}:${p.column}`]));
    assert.deepEqual(at, {
      '$.executor': '1:1',
      '$.vus': '3:6',
      '$.requests[1].method': '8:13',
      '$.requests[1].colour': '9:5',
      '$.thresholds["latency.p95"].critical': '11:28',
    });
    assert.match(formatProblems(problems), new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:8:13: \\$\\.requests\\[1\\]\\.method: "GTE" is not allowed \\(did you mean "GET"\\?\\)$`, 'm'));
    // The same mistakes in JSON: the same problems, with no line and column (JSON messages are unchanged).
    const json = await problemsOf(loadScenario(join(dir, 'bad.json')));
    assert.deepEqual(json, problems.map(({ line: _l, column: _c, ...p }) => ({ ...p, file: join(dir, 'bad.json') })));
    assert.doesNotMatch(formatProblems(json), /bad\.json:\d/);
  });
});

test('a YAML run file: problems of its workloads at their run-file paths and lines', async () => {
  const text = 'target: http://127.0.0.1:1\nscenarios:\n  api:\n    executor: constant-vus\n    vus: 1\n    duration: 1s\n    requests:\n      - path: /a\n        weight: -1\n  web:\n    executor: constant-vus\n    vus: 1\n    duration: oops\n    requests: [{ path: /b }]\n';
  await withFiles({ 'run.yml': text }, async (dir) => {
    const problems = await problemsOf(loadFile(join(dir, 'run.yml')));
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.path}`), ['9:17 $.scenarios.api.requests[0].weight', '13:15 $.scenarios.web.duration']);
  });
});

test('YAML syntax errors are problems at their line and column, all at once', async () => {
  const cases: [string, string, RegExp][] = [
    ['tab.yaml', 'name: a\nrequests:\n\t- path: /\n', /^3:1 invalid YAML: Tabs are not allowed as indentation$/],
    ['quote.yaml', 'name: "abc\nvus: 1\n', /^3:1 invalid YAML: Missing closing "quote$/],
    ['dup.yaml', 'name: a\nvus: 1\nname: b\n', /^3:1 invalid YAML: Map keys must be unique$/],
    ['indent.yaml', 'name: a\n  target: b\n', /^1:7 invalid YAML: /],
  ];
  await withFiles(Object.fromEntries(cases.map(([f, t]) => [f, t])), async (dir) => {
    for (const [f, , expected] of cases) {
      const problems = await problemsOf(loadScenario(join(dir, f)));
      assert.match(`${problems[0]!.line}:${problems[0]!.column} ${problems[0]!.message}`, expected, f);
      assert.ok(problems.every((p) => p.line !== undefined && p.path === ''), f);
    }
  });
});

test('an alias bomb is refused in well under a second; a few aliases are fine', async () => {
  let text = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
  for (const [i, n] of [...'bcdefghi'].entries()) text += `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]\n`;
  await withFiles({ 'bomb.yaml': text }, async (dir) => {
    const started = performance.now();
    const problems = await problemsOf(loadScenario(join(dir, 'bomb.yaml')));
    assert.ok(performance.now() - started < 500, `took ${performance.now() - started} ms`);
    assert.deepEqual(problems.map((p) => p.message), ['invalid YAML: its aliases expand to more than 100 nodes, as an alias bomb does']);
  });
  const example = await loadScenario(new URL('../../../../scenarios/examples/smoke.yaml', import.meta.url).pathname);
  assert.deepEqual(example.requests.map((r) => r.expectStatus), [[200], [200]]);
});

test('several YAML documents in one file are refused, and so are tags (custom, YAML 1.1): never run, never turned into objects', async () => {
  await withFiles({ 'multi.yaml': 'name: a\n---\nname: b\n', 'tags.yaml': 'name: !!binary aGk=\ndescription: !js/function "x"\nhttp: !!set { a }\n' }, async (dir) => {
    const multi = await problemsOf(loadScenario(join(dir, 'multi.yaml')));
    assert.deepEqual(multi.map((p) => [p.line, p.message]), [[2, 'one scenario per file: this file holds 2 YAML documents']]);
    const tags = await problemsOf(loadScenario(join(dir, 'tags.yaml')));
    assert.deepEqual(tags.map((p) => `${p.line}:${p.column} ${p.message}`), [
      '1:7 invalid YAML: tag !!binary is not allowed',
      '2:14 invalid YAML: tag !js/function is not allowed',
      '3:7 invalid YAML: tag !!set is not allowed',
    ]);
  });
});

test('breakpoint reads a YAML scenario too, and a step\'s problems name their YAML line and column', async () => {
  await withFiles({ 'bp.yaml': 'target: http://127.0.0.1:1\nrequests:\n  - path: /\n    method: GTE\n', 'ok.yml': 'target: http://127.0.0.1:1\nrequests: [{ path: /ok }]\n' }, async (dir) => {
    const ok = await stepSource(join(dir, 'ok.yml'), join(dir, 'ok.yml'), {}, {});
    assert.deepEqual(stepScenario(ok, 5, 1000).requests.map((r) => r.path), ['/ok']);
    const bad = await stepSource(join(dir, 'bp.yaml'), join(dir, 'bp.yaml'), {}, {});
    const problems = await problemsOf(Promise.resolve().then(() => stepScenario(bad, 5, 1000)));
    assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.path}`), ['4:13 $.requests[0].method']);
  });
});
