import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoaded, type LoadedData } from '@novaload/agent';
import { InputError, loadScenario } from '../src/scenario/index.js';

/** Write a scenario (in sub/, next to its data file, so the path is relative to it) and load it. */
async function load(data: Record<string, unknown>, files: Record<string, string>): Promise<LoadedData> {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-data-'));
  try {
    await mkdir(join(dir, 'sub'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'sub', name), text);
    const file = join(dir, 'sub', 's.json');
    await writeFile(file, JSON.stringify({ target: 'http://127.0.0.1:1', executor: 'constant-vus', vus: 2, duration: '1s', requests: [{ path: '/' }], data }));
    const scenario = await loadScenario(file);
    assert.ok(scenario.data && isLoaded(scenario.data));
    return scenario.data;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The problems (path and message) a data file gives. */
async function problems(data: Record<string, unknown>, files: Record<string, string>): Promise<{ path: string; message: string; hint?: string }[]> {
  try {
    await load(data, files);
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.problems.map(({ path, message, hint }) => ({ path, message, ...(hint && { hint }) }));
  }
  assert.fail('the file was accepted');
}

test('CSV: header row, quoting, a BOM and CRLF lines; defaults sequential + recycle; the path is relative to the scenario', async () => {
  const csv = '\uFEFFuser,password,note\r\n"a,1",x,"say ""hi"""\r\nb,y,"two\r\nlines"\r\n\r\nc,z,\r\n';
  const data = await load({ file: 'users.csv' }, { 'users.csv': csv });
  assert.deepEqual(data, {
    file: 'users.csv',
    mode: 'sequential',
    onExhausted: 'recycle',
    columns: ['user', 'password', 'note'],
    rows: 3,
    cells: ['a,1', 'x', 'say "hi"', 'b', 'y', 'two\r\nlines', 'c', 'z', ''],
  });
});

test('JSON: an array of objects with the same keys; values become strings (null: empty)', async () => {
  const json = JSON.stringify([{ user: 'a', id: 1, admin: true }, { user: 'b', id: 2.5, admin: null }]);
  const data = await load({ file: 'users.json', mode: 'per-vu' }, { 'users.json': json });
  assert.deepEqual(data.columns, ['user', 'id', 'admin']);
  assert.deepEqual(data.cells, ['a', '1', 'true', 'b', '2.5', '']);
  assert.equal(data.mode, 'per-vu');
});

test('YAML (.yaml, .yml): a list of mappings read as text, as written (01234 stays 01234, 1.50 stays 1.50); the same checks as JSON; syntax errors at line and column', async () => {
  const yaml = '# test accounts\n- user: a\n  zip: 01234\n  price: 1.50\n  admin: yes\n- user: "b"\n  zip: 99\n  price: 2\n  admin: no\n';
  for (const name of ['users.yaml', 'users.YML']) {
    const data = await load({ file: name, mode: 'per-vu' }, { [name]: yaml });
    assert.deepEqual(data.columns, ['user', 'zip', 'price', 'admin']);
    assert.deepEqual(data.cells, ['a', '01234', '1.50', 'yes', 'b', '99', '2', 'no']);
  }
  const cases: [string, RegExp][] = [
    ['user: a\n', /u\.yaml: the file holds object, not an array of objects$/],
    ['- user: a\n- pw: x\n', /u\.yaml: element \[1\] lacks "user"$/],
    ['- user: [a, b]\n', /u\.yaml: element \[0\]\.user is an array$/],
    ['- user: a\n\t- user: b\n', /u\.yaml: line 2, column 1: invalid YAML: Tabs are not allowed as indentation$/],
    ['- user: a\n  user: b\n', /u\.yaml: line 2, column 3: invalid YAML: Map keys must be unique$/],
    ['- &a [x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n- [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n', /u\.yaml: invalid YAML: its aliases expand to more than/],
  ];
  for (const [text, message] of cases) {
    const found = await problems({ file: 'u.yaml' }, { 'u.yaml': text });
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.path, '$.data.file');
    assert.match(found[0]!.message, message, text);
  }
});

test('a malformed CSV names its line', async () => {
  const cases: [string, RegExp][] = [
    ['user,password\na,1\nb\nc,3\n', /malformed CSV at line 3: Invalid Record Length: expect 2, got 1$/],
    ['user,password\na,1\n"b,2\n', /malformed CSV at line 3: /],
    ['user,password\na,1\nb,"x"y\n', /malformed CSV at line 3: /],
    ['user,user\na,1\n', /line 1 \(the header\): column "user" is named twice$/],
    ['user,\na,1\n', /line 1 \(the header\): column 2 has no name$/],
    ['user,password\na,1\nb,2\u0000\n', /line 3 holds a NUL character$/],
  ];
  for (const [csv, message] of cases) {
    const [p, ...rest] = await problems({ file: 'u.csv' }, { 'u.csv': csv });
    assert.equal(rest.length, 0);
    assert.equal(p!.path, '$.data.file');
    assert.match(p!.message, message, JSON.stringify(csv));
    assert.ok(p!.message.includes('u.csv'), 'names the file');
  }
});

test('empty, header-only, missing and unknown files are 104s naming the file', async () => {
  const cases: [Record<string, unknown>, Record<string, string>, RegExp][] = [
    [{ file: 'u.csv' }, { 'u.csv': '' }, /u\.csv: the file is empty$/],
    [{ file: 'u.csv' }, { 'u.csv': '\n\n' }, /u\.csv: the file is empty$/],
    [{ file: 'u.csv' }, { 'u.csv': 'user,password\n' }, /u\.csv: the file has a header row but no rows$/],
    [{ file: 'u.json' }, { 'u.json': '' }, /u\.json: the file is empty$/],
    [{ file: 'gone.csv' }, {}, /cannot read the data file .*sub\/gone\.csv: no such file$/],
    [{ file: 'u.txt' }, { 'u.txt': 'a' }, /u\.txt is neither \.csv, \.json nor \.yaml$/],
    [{ file: 'u.yaml' }, { 'u.yaml': '\n' }, /u\.yaml: the file is empty$/],
  ];
  for (const [data, files, message] of cases) {
    const found = await problems(data, files);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.path, '$.data.file');
    assert.match(found[0]!.message, message);
  }
});

test('JSON of the wrong shape names the element', async () => {
  const cases: [unknown, RegExp][] = [
    [{ user: 'a' }, /holds object, not an array of objects$/],
    [[], /an empty array$/],
    [['a'], /element \[0\] is not an object with at least one key$/],
    [[{ user: 'a' }, 'b'], /element \[1\] is not an object$/],
    [[{ user: 'a', pw: 'x' }, { user: 'b' }], /element \[1\] lacks "pw"$/],
    [[{ user: 'a' }, { user: 'b', pw: 'x' }], /element \[1\] has "pw", which element \[0\] has not$/],
    [[{ user: { name: 'a' } }], /element \[0\]\.user is an object$/],
    [[{ user: 'a' }, { user: 'b\u0000' }], /element \[1\]\.user holds a NUL character$/],
  ];
  for (const [value, message] of cases) {
    const found = await problems({ file: 'u.json' }, { 'u.json': JSON.stringify(value) });
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, message, JSON.stringify(value));
  }
  const [broken] = await problems({ file: 'u.json' }, { 'u.json': '[{"user": }]' });
  assert.match(broken!.message, /u\.json: invalid JSON: /);
});

test('every data problem is reported at once with the rest of the file', async () => {
  const found = await problems({ file: 'gone.csv', mode: 'random', onExhausted: 'stop', order: 'x' }, {});
  assert.deepEqual(
    found.map((p) => p.path),
    ['$.data.order', '$.data.onExhausted', '$.data.file'],
  );
  const bad = await problems({ file: 'gone.csv', mode: 'everyone', onExhausted: 'never' }, {});
  assert.deepEqual(bad.map((p) => p.path), ['$.data.mode', '$.data.onExhausted', '$.data.file']);
});

test('examples/login-once.json reads its users.csv: 20 accounts, sequential, stop', async () => {
  const file = new URL('../../../../scenarios/examples/login-once.json', import.meta.url).pathname;
  const scenario = await loadScenario(file);
  assert.ok(scenario.data && isLoaded(scenario.data));
  const { cells, ...settings } = scenario.data;
  assert.deepEqual(settings, { file: 'users.csv', mode: 'sequential', onExhausted: 'stop', columns: ['user', 'password'], rows: 20 });
  assert.deepEqual(cells.slice(0, 2), ['user01@example.test', 'pw,01']);
});
