import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorKind } from '../src/index.js';

const withCode = (code: string): Error => Object.assign(new Error('x'), { code });

test('errorKind maps transport failures to stable kinds', () => {
  assert.equal(errorKind(withCode('ECONNREFUSED')), 'ECONNREFUSED');
  assert.equal(errorKind(withCode('ECONNRESET')), 'ECONNRESET');
  assert.equal(errorKind(withCode('UND_ERR_SOCKET')), 'ECONNRESET');
  assert.equal(errorKind(withCode('UND_ERR_HEADERS_TIMEOUT')), 'TIMEOUT');
  assert.equal(errorKind(withCode('UND_ERR_BODY_TIMEOUT')), 'TIMEOUT');
  assert.equal(errorKind(withCode('UND_ERR_CONNECT_TIMEOUT')), 'CONNECT_TIMEOUT');
  for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'EMFILE', 'EADDRNOTAVAIL', 'EPIPE', 'EHOSTUNREACH']) assert.equal(errorKind(withCode(code)), code);
  assert.equal(errorKind(withCode('UND_ERR_HEADERS_OVERFLOW')), 'ERR_HEADERS_OVERFLOW');
  assert.equal(errorKind(withCode('HPE_INVALID_CONSTANT')), 'HTTP_PARSE_ERROR');
  // undici's parser errors carry no code: known by their name.
  assert.equal(errorKind(Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), { name: 'HTTPParserError', code: undefined })), 'HTTP_PARSE_ERROR');
  assert.equal(errorKind(new Error('no code')), 'UNKNOWN');
  assert.equal(errorKind(withCode('constructor')), 'ERR_constructor');
});

test('errorKind looks into AggregateError (happy eyeballs) and causes', () => {
  assert.equal(errorKind(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])), 'ECONNREFUSED');
  assert.equal(errorKind(new Error('wrapped', { cause: withCode('ENOTFOUND') })), 'ENOTFOUND');
});
