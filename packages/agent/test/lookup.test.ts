/** The connection lookup: `.invalid` names fail locally (RFC 6761), everything else asks the system resolver. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isReservedInvalid, lookup } from '../src/lookup.js';

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
