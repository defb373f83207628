import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withFiles } from './helpers/files.js';
import { InputError, loadScenario, loadScenarios } from '../src/scenario/index.js';

const valid = JSON.stringify({ target: 'http://127.0.0.1:1', executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] });

test('a missing file is an InputError naming it', async () => {
  await assert.rejects(loadScenario('/nonexistent/novaload/x.json'), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.deepEqual(err.problems, [{ file: '/nonexistent/novaload/x.json', path: '', message: 'cannot read the scenario: no such file' }]);
    return true;
  });
});

test('invalid JSON gives the line and column', async () => {
  const cases: [string, string][] = [
    ['{\n  "executor": "constant-vus",\n  "vus": 1,\n}\n', 'line 4, column 1: '],
    ['{\n  "vus": tru\n}', 'line 2, column 13: Unexpected token \'\\\\n\'$'],
    ['{\n  "vus": 1\n', 'line 2, column 11: '],
    ["{\n  'vus': 1\n}", 'line 2, column 3: '],
  ];
  await withFiles(Object.fromEntries(cases.map(([text], i) => [`${i}.json`, text])), async (dir) => {
    for (const [i, [, where]] of cases.entries()) {
      await assert.rejects(loadScenario(join(dir, `${i}.json`)), (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.problems.length, 1);
        assert.match(err.problems[0]!.message, new RegExp(`^invalid JSON at ${where}`));
        assert.doesNotMatch(err.problems[0]!.message, /position|is not valid JSON/);
        return true;
      });
    }
  });
});

test('the default name is the file name; loadScenarios reports the problems of every file at once', async () => {
  await withFiles({ 'good.json': valid, 'bad1.json': '{', 'bad2.json': '{"executor":"constant-vus"}' }, async (dir) => {
    const [s] = await loadScenarios([join(dir, 'good.json')]);
    assert.equal(s!.name, 'good');
    await assert.rejects(loadScenarios([join(dir, 'bad1.json'), join(dir, 'good.json'), join(dir, 'bad2.json')]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      const files = new Set(err.problems.map((p) => p.file));
      assert.deepEqual([...files], [join(dir, 'bad1.json'), join(dir, 'bad2.json')]);
      return true;
    });
  });
});
