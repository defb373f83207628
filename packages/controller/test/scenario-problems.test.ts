import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DURATION_HINT } from '@novaload/report';
import { METADATA_HOSTS } from '@novaload/agent';
import { InputError, formatProblems, resolveScenario, type Problem } from '../src/scenario/index.js';

const base = {
  target: 'http://127.0.0.1:3000',
  executor: 'constant-vus',
  vus: 2,
  duration: '1s',
  requests: [{ name: 'list', path: '/api/tasks' }],
};

/** The problems resolveScenario throws for `raw`, keyed by path. */
function problemsOf(raw: unknown, overrides = {}): Map<string, Problem> {
  try {
    resolveScenario(raw, 'bad.json', overrides);
  } catch (err) {
    assert.ok(err instanceof InputError);
    return new Map(err.problems.map((p) => [p.path, p]));
  }
  assert.fail('expected an InputError');
}

test('a file with several problems reports all of them, each at its path', () => {
  const found = problemsOf({
    ...base,
    vus: 'ten',
    duration: '10 seconds',
    requests: [{ name: 'a', path: '/a', method: 'FETCH' }, { name: 'a', path: 'b', json: {}, body: 'x' }],
    http: { pipelining: 0 },
    thresholds: { 'latency.p99': '<2' + 'x' },
  });
  assert.deepEqual([...found.keys()].sort(), [
    '$.duration',
    '$.http.pipelining',
    '$.requests[0].method',
    '$.requests[1].body',
    '$.requests[1].name',
    '$.requests[1].path',
    '$.thresholds["latency.p99"]',
    '$.vus',
  ]);
  assert.match(found.get('$.vus')!.message, /must be an integer, not "ten"/);
  assert.match(found.get('$.requests[1].name')!.message, /duplicate request name "a"/);
  assert.match(found.get('$.requests[1].body')!.message, /both "json" and "body"/);
});

test('a misspelt field says which one was meant', () => {
  const found = problemsOf({ ...base, requests: [{ path: '/', heders: {} }], thinktime: '1s' });
  assert.equal(found.get('$.requests[0].heders')!.hint, 'did you mean "headers"?');
  assert.equal(found.get('$.thinktime')!.message, 'unknown field "thinktime"');
  assert.equal(found.get('$.thinktime')!.hint, 'did you mean "thinkTime"?');
});

test('a misspelt executor, metric or request tag gets a hint', () => {
  const found = problemsOf({ ...base, executor: 'constant-vu', thresholds: { 'latncy.p95': '<1s', 'latency.p95{request=lst}': '<1s', 'latency.p9x': '<1s' } });
  assert.equal(found.get('$.executor')!.hint, 'did you mean "constant-vus"?');
  assert.equal(found.get('$.thresholds["latncy.p95"]')!.hint, 'did you mean "latency"?');
  assert.equal(found.get('$.thresholds["latency.p95{request=lst}"]')!.hint, 'did you mean "list"?');
  assert.ok(found.get('$.thresholds["latency.p9x"]')!.hint);
});

test('a bad duration is named, with the duration hint', () => {
  const found = problemsOf({ ...base, executor: 'ramping-vus', vus: undefined, duration: undefined, stages: [{ duration: '10', target: 5 }], thinkTime: { min: '1s', max: 'soon' } });
  for (const path of ['$.stages[0].duration', '$.thinkTime.max']) {
    assert.match(found.get(path)!.message, /is not a duration/);
    assert.equal(found.get(path)!.hint, DURATION_HINT);
  }
});

test("a field of another executor says where it belongs; the executor's own fields are required", () => {
  const found = problemsOf({ ...base, vus: undefined, rate: 10, maxVUs: 4 });
  assert.equal(found.get('$.rate')!.message, '"rate" does not apply to constant-vus; it belongs to constant-arrival-rate');
  assert.match(found.get('$.maxVUs')!.message, /belongs to constant-arrival-rate, ramping-arrival-rate/);
  assert.equal(found.get('$.vus')!.message, 'required by constant-vus');
  const ramp = problemsOf({ ...base, executor: 'ramping-arrival-rate', vus: undefined, duration: undefined, thinkTime: '1s' });
  assert.equal(ramp.get('$.stages')!.message, 'required by ramping-arrival-rate');
  assert.match(ramp.get('$.thinkTime')!.message, /does not apply to ramping-arrival-rate/);
});

test('arrivalWindow: open models only, a duration of at most 1s', () => {
  assert.match(problemsOf({ ...base, arrivalWindow: '2ms' }).get('$.arrivalWindow')!.message, /does not apply to constant-vus; it belongs to constant-arrival-rate, ramping-arrival-rate/);
  const open = { ...base, executor: 'constant-arrival-rate', vus: undefined, rate: 10 };
  assert.match(problemsOf({ ...open, arrivalWindow: 'soon' }).get('$.arrivalWindow')!.message, /"soon" is not a duration/);
  const long = problemsOf({ ...open, arrivalWindow: '2s' }).get('$.arrivalWindow')!;
  assert.match(long.message, /2s is longer than 1s/);
  assert.match(long.hint!, /"2ms" \(the default\), or "0"/);
  assert.equal(resolveScenario({ ...open, arrivalWindow: '0' }, 'ok.json', {}).executor.type, 'constant-arrival-rate');
  const executor = resolveScenario({ ...open, arrivalWindow: '500us' }, 'ok.json', {}).executor;
  assert.ok(executor.type === 'constant-arrival-rate' && executor.arrivalWindowMs === 0.5);
});

test('think time min must not exceed max; the target must be an absolute http(s) URL', () => {
  const found = problemsOf({ ...base, target: 'localhost:3000', thinkTime: { min: '2s', max: '1s' } });
  assert.match(found.get('$.thinkTime')!.message, /min \(2s\) is longer than max \(1s\)/);
  assert.match(found.get('$.target')!.message, /not an http or https URL|not an absolute URL/);
  assert.match(problemsOf({ ...base, target: '/api' }).get('$.target')!.message, /not an absolute URL/);
});

test('a file that is not an object is one problem at $', () => {
  const found = problemsOf([base]);
  assert.deepEqual([...found.keys()], ['$']);
});

test('formatProblems writes one line per problem: file: path: message (hint)', () => {
  const text = formatProblems([
    { file: 'a.json', path: '$.requests[1].method', message: '"GTE" is not allowed', hint: 'did you mean "GET"?' },
    { file: 'a.json', path: '', message: 'cannot read the scenario: no such file' },
  ]);
  assert.equal(text, 'a.json: $.requests[1].method: "GTE" is not allowed (did you mean "GET"?)\na.json: cannot read the scenario: no such file');
});

test('allowHosts: a target outside the list is refused, from the file or --target, with how to allow it', () => {
  const base = { target: 'http://127.0.0.1:3000', executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] };
  assert.equal(resolveScenario({ ...base, allowHosts: ['127.0.0.1'] }, 'a.json').target, 'http://127.0.0.1:3000');
  const fromFile = hostProblems(() => resolveScenario({ ...base, allowHosts: ['staging.internal'] }, 'a.json'));
  assert.match(fromFile, /\$\.target: target host "127\.0\.0\.1" is not in allowHosts \(staging\.internal\) \(add "127\.0\.0\.1" to "allowHosts"/);
  const fromFlag = hostProblems(() => resolveScenario({ ...base, allowHosts: ['127.0.0.1'] }, 'a.json', { target: 'http://other.invalid:80' }));
  assert.match(fromFlag, /--target: target host "other\.invalid" is not in allowHosts/);
});

// Every address the product lists (plus another link-local one) is only validated and refused: no connection is ever made.
test('cloud metadata addresses are refused unless named in allowHosts', () => {
  const base = { executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/latest/meta-data/' }] };
  const urlOf = (host: string): string => `http://${host.includes(':') ? `[${host}]` : host}`;
  for (const host of [...METADATA_HOSTS, '169.254.10.1']) {
    assert.match(hostProblems(() => resolveScenario({ ...base, target: urlOf(host) }, 'm.json')), /is a cloud metadata address, refused by default \(name ".*" in "allowHosts"/);
  }
  const host = METADATA_HOSTS[0]!;
  assert.equal(resolveScenario({ ...base, target: urlOf(host), allowHosts: [host] }, 'm.json').target, urlOf(host));
});

// Spellings new URL() leaves as they are (IPv4-mapped IPv6) or rewrites (decimal, hex, octal, short, trailing dot), all the same address.
test('every spelling of a metadata address is refused; allowHosts names it in any spelling or case', () => {
  const base = { executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] };
  const spellings = ['2852039166', '0xa9fea9fe', '0251.0376.0251.0376', '169.254.43518', '169.254.169.254.', '[::ffff:169.254.169.254]', '[::ffff:a9fe:a9fe]', '[0:0:0:0:0:ffff:a9fe:a9fe]', '[fd00:ec2:0::254]', '[FD00:EC2::254]', 'METADATA.GOOGLE.INTERNAL.'];
  for (const host of spellings) {
    assert.match(hostProblems(() => resolveScenario({ ...base, target: `http://${host}` }, 'm.json')), /is a cloud metadata address, refused by default/, host);
  }
  const mapped = resolveScenario({ ...base, target: 'http://[::ffff:169.254.169.254]', allowHosts: ['169.254.169.254'] }, 'm.json');
  assert.equal(mapped.http.allowMetadata, true);
  // A listed metadata name in other spellings (derived from METADATA_HOSTS, never connected to): case and a trailing dot do not matter.
  const gce = METADATA_HOSTS.find((h) => h.includes('.google.'))!;
  assert.equal(resolveScenario({ ...base, target: `http://${titleCase(gce)}`, allowHosts: [`${gce.replace(/^[^.]+/, (l) => l.toUpperCase())}.`] }, 'm.json').http.allowMetadata, true);
  assert.equal(resolveScenario({ ...base, target: 'http://127.0.0.1:1', allowHosts: ['127.1'] }, 'm.json').target, 'http://127.0.0.1:1');
});

function hostProblems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return formatProblems(err.problems);
    throw err;
  }
  assert.fail('expected an InputError');
}

test('allowHosts naming the target host lets it resolve to a metadata address; otherwise the agent refuses such a name (EMETADATA)', () => {
  const named = resolveScenario({ ...base, target: `http://${titleCase('localhost')}:8080`, allowHosts: ['localhost'] }, 'a.json');
  assert.equal(named.http.allowMetadata, true);
  assert.equal(resolveScenario({ ...base, target: 'http://localhost:8080' }, 'a.json').http.allowMetadata, undefined);
  assert.equal(resolveScenario({ ...base, allowHosts: ['127.0.0.1', 'localhost'] }, 'a.json', { target: 'http://localhost:1' }).http.allowMetadata, true);
});

/** Each dot-separated label with its first letter in upper case: the same host name in another spelling. */
function titleCase(host: string): string {
  return host.replace(/(^|\.)([a-z])/g, (_m, dot: string, c: string) => dot + c.toUpperCase());
}
