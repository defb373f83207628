/** The next hop of a redirect: method rules, headers dropped across origins, and hosts refused before any connection. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dispatcher } from 'undici';
import { EHOSTNOTALLOWED, isLocation, REDIRECT_INVALID, Redirects, type Hop } from '../src/redirects.js';
import { isSetCookie } from '../src/cookies.js';
import { METADATA_HOSTS } from '../src/hosts.js';
import type { HttpSettings } from '../src/scenario.js';

const HTTP: HttpSettings = { timeoutMs: 1000, connectTimeoutMs: 1000, headers: {}, connections: 'per-vu', pipelining: 1 };
const ORIGIN = 'http://127.0.0.1:8080';
const POST: Dispatcher.DispatchOptions = { method: 'POST', path: '/a', headers: { 'content-type': 'text/plain', authorization: 'Bearer x', cookie: 'own=1' }, body: Buffer.from('b') };

function hop(r: Redirects, status: number, location: string, options = POST): Hop {
  const next = r.next(status, location, `${ORIGIN}/a`, options);
  assert.ok(typeof next !== 'string', `refused: ${String(next)}`);
  return next;
}

test('method rules: 301/302 turn a POST into a GET, 303 anything but HEAD, 307/308 keep method and body', async () => {
  const r = new Redirects(ORIGIN, HTTP);
  for (const status of [301, 302, 303]) {
    const { options } = hop(r, status, '/b');
    assert.deepEqual([options.method, options.body, (options.headers as Record<string, string>)['content-type']], ['GET', null, undefined], `${status}`);
  }
  for (const status of [307, 308]) assert.deepEqual([hop(r, status, '/b').options.method, hop(r, status, '/b').options.body], ['POST', POST.body]);
  assert.equal(hop(r, 303, '/b', { ...POST, method: 'HEAD', body: null }).options.method, 'HEAD');
  assert.equal(hop(r, 302, '/b', { ...POST, method: 'PUT' }).options.method, 'PUT');
  await r.destroy();
});

test('a same-origin hop keeps its headers and goes on the VU\'s own connection; another origin drops authorization and cookie and goes through the share\'s agent', async () => {
  const r = new Redirects(ORIGIN, HTTP);
  const same = hop(r, 307, '/b?q=1#frag');
  assert.deepEqual([same.url, same.options.path, same.dispatcher], [`${ORIGIN}/b?q=1`, '/b?q=1', null]);
  assert.equal((same.options.headers as Record<string, string>).authorization, 'Bearer x');
  const other = hop(r, 307, 'http://localhost:9/c');
  assert.equal(other.options.origin, 'http://localhost:9');
  assert.ok(other.dispatcher !== null);
  assert.deepEqual(Object.keys(other.options.headers as object), ['content-type']);
  await r.destroy();
});

test('hosts: without allowHosts any host but a metadata address (any spelling); with it, only the hosts it names; a bad Location is REDIRECT_INVALID', async () => {
  const open = new Redirects(ORIGIN, HTTP);
  // Spellings of the listed metadata hosts, derived from METADATA_HOSTS: only judged here, never connected to.
  const [v4, name] = [METADATA_HOSTS[0]!, METADATA_HOSTS[2]!];
  const decimal = v4.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  for (const meta of [`http://${v4}/`, `http://[::ffff:${v4}]/`, `http://${decimal}/`, `http://${name}./`]) {
    assert.equal(open.next(302, meta, `${ORIGIN}/a`, POST), EHOSTNOTALLOWED, meta);
  }
  assert.equal(open.next(302, 'ftp://127.0.0.1/', `${ORIGIN}/a`, POST), REDIRECT_INVALID);
  assert.equal(open.next(302, 'http://[bad', `${ORIGIN}/a`, POST), REDIRECT_INVALID);
  const listed = new Redirects(ORIGIN, { ...HTTP, allowHosts: ['127.0.0.1', 'API.invalid', v4] });
  assert.equal(listed.next(302, 'http://127.0.0.2/', `${ORIGIN}/a`, POST), EHOSTNOTALLOWED);
  assert.equal(typeof listed.next(302, 'http://api.invalid./x', `${ORIGIN}/a`, POST), 'object');
  assert.equal(typeof listed.next(302, `http://${v4}/`, `${ORIGIN}/a`, POST), 'object', 'named: allowed, as for the target');
  await Promise.all([open.destroy(), listed.destroy()]);
});

test('Set-Cookie and Location are recognised in any case and nothing else is, names of the same length included', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  for (const name of ['set-cookie', 'Set-Cookie', 'SET-COOKIE', 'sEt-CoOkIe']) assert.ok(isSetCookie(b(name)), name);
  for (const name of ['connection', 'keep-alive', 'set-cookie2', 'set_cookie', 'setxcookie', 'set-cookies', '']) assert.ok(!isSetCookie(b(name)), name);
  for (const name of ['location', 'Location', 'LOCATION']) assert.ok(isLocation(b(name)), name);
  for (const name of ['locatio', 'locations', 'content-', 'l0cation']) assert.ok(!isLocation(b(name)), name);
});
