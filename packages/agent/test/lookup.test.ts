/** The connection lookup: `.invalid` names fail locally (RFC 6761), everything else asks the system resolver. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LookupFunction } from 'node:net';
import { errorKind } from '../src/errors.js';
import { guardedLookup, isReservedInvalid } from '../src/lookup.js';

/** The default lookup: metadata addresses refused. */
const lookup = guardedLookup(false);

test('names under .invalid are reserved (RFC 6761); others are not', () => {
  for (const name of ['invalid', 'nonexistent.invalid', 'a.b.INVALID', 'x.invalid.']) assert.ok(isReservedInvalid(name), name);
  for (const name of ['invalid.example.com', 'notinvalid', 'localhost', '127.0.0.1', 'example.invalidx']) assert.ok(!isReservedInvalid(name), name);
});

test('a .invalid name fails at once with ENOTFOUND, as getaddrinfo would; other names go to the system resolver', async () => {
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('nonexistent.invalid', { all: true }, (e) => resolve(e)));
  assert.equal(err?.code, 'ENOTFOUND');
  assert.equal(err?.syscall, 'getaddrinfo');
  const address = await new Promise<unknown>((resolve, reject) => lookup('localhost', {}, (e, a) => (e ? reject(e) : resolve(a))));
  assert.equal(typeof address, 'string');
});

/** A resolver that answers every name with `addresses` (both callback forms, as dns.lookup does). */
function fakeResolver(addresses: string[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    process.nextTick(() => (options.all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family)));
  }) as unknown as LookupFunction;
}

const resolveWith = (fn: LookupFunction, all: boolean) =>
  new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => fn('localhost', { all }, (err, address) => resolve({ err, address })));

test('a name that resolves to a cloud metadata address fails with EMETADATA, unless allowed; others resolve as usual', async () => {
  const spellings = [['::ffff:169.254.169.254'], ['::ffff:a9fe:a9fe'], ['0:0:0:0:0:ffff:a9fe:a9fe'], ['fd00:ec2:0::254'], ['FD00:EC2::254']];
  for (const addresses of [['169.254.169.254'], ['10.0.0.7', '169.254.170.2'], ...spellings, ['100.100.100.200']]) {
    for (const all of [false, true]) {
      if (!all && addresses.length > 1) continue; // the one-address form sees only the first
      const { err } = await resolveWith(guardedLookup(false, fakeResolver(addresses)), all);
      assert.equal(err?.code, 'EMETADATA', `${addresses.join(',')} all=${all}`);
      assert.match(err!.message, /localhost resolves to the cloud metadata address .*name "localhost" in the scenario's allowHosts \(on a remote agent: in the agent's --allow-hosts\)/);
      const allowed = await resolveWith(guardedLookup(true, fakeResolver(addresses)), all);
      assert.equal(allowed.err, null, 'allowed when the scenario names the host');
    }
  }
  const fine = await resolveWith(guardedLookup(false, fakeResolver(['10.0.0.7', '::1'])), true);
  assert.equal(fine.err, null);
  assert.deepEqual((fine.address as { address: string }[]).map((a) => a.address), ['10.0.0.7', '::1']);
  assert.equal(errorKind(Object.assign(new Error('x'), { code: 'EMETADATA' })), 'EMETADATA');
});

test('a name that is itself a metadata address in another spelling gets no pass: its resolved address is checked like any other', async () => {
  for (const hostname of ['0251.0376.0251.0376', '2852039166', '169.254.169.254.']) {
    let asked = 0;
    const resolver = ((_h: string, _o: unknown, callback: (...args: unknown[]) => void) => {
      asked++;
      process.nextTick(() => callback(null, '169.254.169.254', 4));
    }) as unknown as LookupFunction;
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(false, resolver)(hostname, {}, (e) => resolve(e)));
    assert.equal(err?.code, 'EMETADATA', hostname);
    assert.equal(asked, 1);
  }
});

