/**
 * End to end: each VU's cookie jar (a login's cookies go with that VU's
 * later requests and no other's; http.cookies: false keeps none) and
 * redirects (a chain is one request timed over every hop, maxRedirects 0
 * judges the 3xx, too many is TOO_MANY_REDIRECTS, fetch's method rules, a
 * cookie set on a hop goes with the next, other origins followed, and a
 * hop to a host allowHosts or the metadata rule refuses is never made:
 * EHOSTNOTALLOWED). The report's counts are checked against what the
 * servers saw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cookieOf, startJourneyApi, type JourneyApi } from './helpers/session-api.js';
import { startServer, type Seen } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';
import { METADATA_HOSTS } from '@novaload/agent';

/** The cloud metadata address, from the agent's own list (never written out here), and its IPv4-mapped IPv6 spelling (::ffff:a9fe:a9fe). */
const METADATA_V4 = METADATA_HOSTS.find((h) => /^\d+\.\d+\.\d+\.\d+$/.test(h))!;
const mappedV6 = (v4: string): string => {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  return `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
};

interface Report {
  totals: { requests: number; ok: number; failed: number };
  errors: Record<string, number>;
  latency: { min: number };
  endpoints: { name: string; totals: { requests: number; ok: number; failed: number }; errors: Record<string, number> }[];
}

/** Run `sc` against `target` on one thread for a short while and return its report; `code` is the expected exit code. */
async function run(target: string, sc: Record<string, unknown>, code = 0): Promise<Report> {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'journey.json', { name: 'journey', target, executor: 'constant-vus', vus: 1, duration: '300ms', ...sc });
  const out = join(dir, 'r.json');
  const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', out], { timeoutMs: 30_000 });
  assert.equal(r.code, code, r.stderr);
  return JSON.parse(await readFile(out, 'utf8')) as Report;
}

const on = (api: JourneyApi, path: string): Seen[] => api.seen.filter((s) => s.url === path);
const endpoint = (report: Report, name: string): Report['endpoints'][number] => report.endpoints.find((e) => e.name === name)!;

test("each VU sends its own login's cookies, never another VU's", { timeout: 30_000 }, async () => {
  const api = await startJourneyApi();
  try {
    const report = await run(api.url, { vus: 3, flow: 'sequence', requests: [{ name: 'login', method: 'POST', path: '/login' }, { name: 'me', path: '/me' }] });
    const me = on(api, '/me');
    assert.ok(me.length >= 3, `only ${me.length} /me requests`);
    assert.equal(report.totals.requests, api.seen.length);
    assert.equal(endpoint(report, 'me').totals.ok, me.length, 'no 401: every /me carried a session and a CSRF cookie');
    // The session each /me carried is the one its own VU (its connection) was given last.
    for (const m of me) {
      const logins = api.seen.filter((s) => s.url === '/login' && s.remotePort === m.remotePort && s.at < m.at).length;
      const issued = api.sessions.filter((s) => s.remotePort === m.remotePort);
      assert.equal(cookieOf(m, 'session'), issued[logins - 1]!.id);
      assert.equal(cookieOf(m, 'csrftoken'), `t-${issued[logins - 1]!.id}`);
    }
    assert.equal(new Set(api.sessions.map((s) => s.remotePort)).size, 3, 'three VUs logged in');
  } finally {
    await api.close();
  }
});

test('http.cookies: false keeps no jar: no Cookie header is ever sent, and /me is 401', { timeout: 30_000 }, async () => {
  const api = await startJourneyApi();
  try {
    const report = await run(api.url, { http: { cookies: false }, flow: 'sequence', requests: [{ name: 'login', method: 'POST', path: '/login' }, { name: 'me', path: '/me' }] });
    const me = on(api, '/me');
    assert.ok(me.length > 0);
    assert.ok(api.seen.every((s) => s.headers.cookie === undefined));
    assert.equal(report.errors.HTTP_401, me.length);
    assert.equal(report.totals.requests, api.seen.length);
  } finally {
    await api.close();
  }
});

test('a 302 chain is one request, timed over every hop, and its final status is judged', { timeout: 30_000 }, async () => {
  const api = await startJourneyApi(25);
  try {
    const report = await run(api.url, { requests: [{ name: 'chain', path: '/r/3' }] });
    assert.ok(report.totals.requests > 0);
    assert.equal(api.seen.length, report.totals.requests * 4, 'the server saw each of the 4 hops of every request');
    assert.equal(on(api, '/r/0').length, report.totals.requests);
    assert.equal(report.totals.ok, report.totals.requests);
    assert.ok(report.latency.min >= 75, `latency min ${report.latency.min} ms < 3 hops × 25 ms`);
  } finally {
    await api.close();
  }
});

test('maxRedirects 0 judges the 3xx itself; past maxRedirects is TOO_MANY_REDIRECTS', { timeout: 30_000 }, async () => {
  const api = await startJourneyApi();
  try {
    const requests = [{ name: 'plain', path: '/r/1' }, { name: 'allowed', path: '/r/1', expect: { status: [302] } }];
    const report = await run(api.url, { http: { maxRedirects: 0 }, flow: 'sequence', requests });
    assert.equal(on(api, '/r/0').length, 0, 'no redirect followed');
    assert.equal(endpoint(report, 'plain').errors.HTTP_302, endpoint(report, 'plain').totals.requests);
    assert.equal(endpoint(report, 'allowed').totals.ok, endpoint(report, 'allowed').totals.requests);
    assert.equal(report.totals.requests, api.seen.length);
    api.seen.length = 0;
    const loop = await run(api.url, { http: { maxRedirects: 3 }, requests: [{ name: 'loop', path: '/loop' }] });
    assert.ok(loop.totals.requests > 0);
    assert.equal(loop.errors.TOO_MANY_REDIRECTS, loop.totals.requests);
    assert.equal(api.seen.length, loop.totals.requests * 4, 'the first request and 3 redirects followed, then no more');
  } finally {
    await api.close();
  }
});

test('303 turns a POST into a GET without its body, 307 keeps both, 302 turns a POST into a GET; a cookie set on a hop goes with the next', { timeout: 30_000 }, async () => {
  const api = await startJourneyApi();
  try {
    const post = (name: string, path: string) => ({ name, method: 'POST', path, body: 'payload', headers: { 'content-type': 'text/plain' } });
    const report = await run(api.url, { http: { cookies: true }, flow: 'sequence', requests: [post('303', '/see-other'), post('307', '/temporary'), post('302', '/found'), { name: 'mark', path: '/mark' }] });
    const landing = (from: string): Seen => on(api, `/landing?from=${from}`)[0]!;
    assert.deepEqual([landing('303').method, landing('303').body, landing('303').headers['content-type']], ['GET', '', undefined]);
    assert.deepEqual([landing('307').method, landing('307').body, landing('307').headers['content-type']], ['POST', 'payload', 'text/plain']);
    assert.deepEqual([landing('302').method, landing('302').body], ['GET', '']);
    assert.equal(endpoint(report, 'mark').totals.ok, endpoint(report, 'mark').totals.requests, '/marked saw the cookie /mark set');
    assert.equal(report.totals.failed, 0);
    assert.equal(api.seen.length, report.totals.requests * 2);
  } finally {
    await api.close();
  }
});

test('a redirect to another origin is followed; to a host allowHosts does not name, or a metadata address, it is refused (EHOSTNOTALLOWED) and never connected', { timeout: 30_000 }, async () => {
  const api = await startJourneyApi();
  const other = await startServer(() => ({}), '127.0.0.2');
  try {
    const to = (url: string) => `/to?url=${encodeURIComponent(url)}`;
    const followed = await run(api.url, { requests: [{ name: 'other', path: to(`${other.url}/elsewhere`) }] });
    assert.ok(followed.totals.requests > 0);
    assert.equal(followed.totals.ok, followed.totals.requests);
    assert.equal(other.seen.length, followed.totals.requests, 'the other origin saw every second hop');
    assert.equal(other.seen[0]!.url, '/elsewhere');
    other.seen.length = 0;
    api.seen.length = 0;
    const requests = [{ name: 'not-allowed', path: to(`${other.url}/x`) }, { name: 'metadata', path: to(`http://${METADATA_V4}/latest/meta-data/`) }];
    const refused = await run(api.url, { allowHosts: ['127.0.0.1'], flow: 'sequence', requests });
    assert.equal(refused.errors.EHOSTNOTALLOWED, refused.totals.requests);
    assert.equal(refused.totals.requests, api.seen.length);
    assert.equal(other.seen.length, 0, '127.0.0.2 was never sent a request');
    const metadata = await run(api.url, { requests: [{ name: 'metadata', path: to(`http://[${mappedV6(METADATA_V4)}]/`) }] });
    assert.equal(metadata.errors.EHOSTNOTALLOWED, metadata.totals.requests, 'a metadata address in any spelling is refused without allowHosts too');
  } finally {
    await Promise.all([api.close(), other.close()]);
  }
});

test('validate names a bad maxRedirects and cookies setting', { timeout: 30_000 }, async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'bad.json', { target: 'http://127.0.0.1:1', executor: 'constant-vus', vus: 1, duration: '1s', http: { maxRedirects: -1, cookies: 'yes' }, requests: [{ path: '/' }] });
  const r = await runCli(['validate', file]);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /http\.maxRedirects|\/http\/maxRedirects/);
  assert.match(r.stderr, /http\.cookies|\/http\/cookies/);
});

test('scenarios/examples/session-cookie.json runs against the journey API: every step ok, the server saw each hop', { timeout: 30_000 }, async () => {
  const api = await startJourneyApi();
  try {
    const dir = await tempDir();
    const example = fileURLToPath(new URL('../../scenarios/examples/session-cookie.json', import.meta.url));
    const out = join(dir, 'r.json');
    const r = await runCli(['run', example, '--target', api.url, '--duration', '500ms', '--vus', '2', '--threads', '1', '--quiet', '--out', out], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    assert.ok(report.totals.requests >= 4);
    assert.equal(report.totals.failed, 0);
    const iterations = endpoint(report, 'moved').totals.requests;
    assert.equal(on(api, '/r/0').length, iterations, 'each two-hop redirect reached its end');
    assert.equal(api.seen.length, endpoint(report, 'login').totals.requests + endpoint(report, 'profile').totals.requests + 3 * iterations + 2 * endpoint(report, 'marked').totals.requests);
  } finally {
    await api.close();
  }
});

test('on a remote agent: cookies kept per VU, redirects followed, and a hop outside allowHosts refused, as on a thread', { timeout: 60_000 }, async () => {
  const api = await startJourneyApi();
  const other = await startServer(() => ({}), '127.0.0.2');
  try {
    const dir = await tempDir();
    const requests = [
      { name: 'login', method: 'POST', path: '/login' },
      { name: 'me', path: '/me' },
      { name: 'chain', path: '/r/2' },
      { name: 'away', path: `/to?url=${encodeURIComponent(`${other.url}/x`)}` },
    ];
    const file = await writeScenario(dir, 'remote.json', { name: 'remote', target: api.url, allowHosts: ['127.0.0.1'], executor: 'constant-vus', vus: 2, duration: '500ms', flow: 'sequence', requests });
    const ctl = await startController(['run', file, '--agents', '1', '--quiet', '--out', join(dir, 'r.json')]);
    const agent = startAgent(ctl.url, ['--once']);
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await agent.result).code, 0);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    const iterations = endpoint(report, 'login').totals.requests;
    assert.ok(iterations > 0);
    assert.equal(endpoint(report, 'me').totals.ok, on(api, '/me').length, 'every /me carried its cookies');
    assert.equal(endpoint(report, 'chain').totals.ok, on(api, '/r/0').length);
    assert.equal(endpoint(report, 'away').errors.EHOSTNOTALLOWED, endpoint(report, 'away').totals.requests);
    assert.equal(other.seen.length, 0);
    assert.equal(api.seen.length, report.totals.requests + 2 * endpoint(report, 'chain').totals.requests);
  } finally {
    await Promise.all([api.close(), other.close()]);
  }
});
