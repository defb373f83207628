/**
 * The TLS error kinds from real handshakes: each failure a loopback HTTPS
 * server can cause is made for real through undici (as the load path
 * makes it), and errorKind must fold Node's code into the stable kind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Client } from 'undici';
import { errorCode, errorKind } from '@novaload/agent';
import { makePki, startHttpsServer, type HttpsServer, type Pki } from './helpers/tls.js';

let pki: Pki;
let trusted: HttpsServer;
let expired: HttpsServer;
let mutual: HttpsServer;

before(async () => {
  pki = await makePki();
  [trusted, expired, mutual] = await Promise.all([
    startHttpsServer({ cert: pki.leaf, key: pki.leafKey }),
    startHttpsServer({ cert: pki.expired, key: pki.expiredKey }),
    startHttpsServer({ cert: pki.leaf, key: pki.leafKey, clientCa: pki.clientCa }),
  ]);
});
after(() => Promise.all([trusted, expired, mutual].map((s) => s?.close())));

/** The error of one GET through a Client with these TLS options, or null when it succeeded. */
async function failure(url: string, connect: Record<string, unknown>): Promise<unknown> {
  const client = new Client(url, { connect });
  try {
    const res = await client.request({ method: 'GET', path: '/' });
    await res.body.text();
    return null;
  } catch (err) {
    return err;
  } finally {
    await client.destroy();
  }
}

test('a server whose CA is not trusted: TLS_CERT_UNTRUSTED (Node says UNABLE_TO_VERIFY_LEAF_SIGNATURE)', async () => {
  const err = await failure(trusted.url, {});
  assert.equal(errorCode(err), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assert.equal(errorKind(err), 'TLS_CERT_UNTRUSTED');
});

test('a self-signed server certificate: TLS_CERT_UNTRUSTED (Node says DEPTH_ZERO_SELF_SIGNED_CERT)', async () => {
  const selfSigned = await startHttpsServer({ cert: pki.selfSigned, key: pki.selfSignedKey });
  try {
    const err = await failure(selfSigned.url, {});
    assert.equal(errorCode(err), 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(errorKind(err), 'TLS_CERT_UNTRUSTED');
  } finally {
    await selfSigned.close();
  }
});

test('trusted by its CA, the same server answers', async () => {
  assert.equal(await failure(trusted.url, { ca: await readFile(pki.ca, 'utf8') }), null);
});

test('an expired certificate: TLS_CERT_EXPIRED', async () => {
  const err = await failure(expired.url, { ca: await readFile(pki.ca, 'utf8') });
  assert.equal(errorCode(err), 'CERT_HAS_EXPIRED');
  assert.equal(errorKind(err), 'TLS_CERT_EXPIRED');
});

test('a servername the certificate is not for: TLS_HOSTNAME_MISMATCH', async () => {
  const err = await failure(trusted.url, { ca: await readFile(pki.ca, 'utf8'), servername: 'api.internal' });
  assert.equal(errorCode(err), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(errorKind(err), 'TLS_HOSTNAME_MISMATCH');
});

test('a server that demands a client certificate, offered none: TLS_HANDSHAKE over TLS 1.2; over TLS 1.3 undici sees the close first (ECONNRESET)', async () => {
  const ca = await readFile(pki.ca, 'utf8');
  const tls12 = await failure(mutual.url, { ca, maxVersion: 'TLSv1.2' });
  assert.equal(errorCode(tls12), 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  assert.equal(errorKind(tls12), 'TLS_HANDSHAKE');
  // TLS 1.3 finishes the client's handshake before the server checks; its alert and close reach undici as "other side closed".
  const tls13 = await failure(mutual.url, { ca });
  assert.equal(errorCode(tls13), 'UND_ERR_SOCKET');
  assert.equal(errorKind(tls13), 'ECONNRESET');
  assert.equal(await failure(mutual.url, { ca, cert: await readFile(pki.client, 'utf8'), key: await readFile(pki.clientKey, 'utf8') }), null);
});

test('a CA certificate served as a server certificate (not for TLS servers): TLS_HANDSHAKE (Node says INVALID_PURPOSE)', async () => {
  const misused = await startHttpsServer({ cert: pki.ca, key: pki.ca.replace(/\.pem$/, '-key.pem') });
  try {
    const err = await failure(misused.url, {});
    assert.equal(errorCode(err), 'INVALID_PURPOSE');
    assert.equal(errorKind(err), 'TLS_HANDSHAKE');
  } finally {
    await misused.close();
  }
});

test('no TLS version in common: TLS_HANDSHAKE', async () => {
  const err = await failure(trusted.url, { ca: await readFile(pki.ca, 'utf8'), minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
  assert.equal(errorKind(err), 'TLS_HANDSHAKE', `code ${errorCode(err)}`);
});

test('plain HTTP from a TLS client (the target is not HTTPS): TLS_HANDSHAKE', async () => {
  const { startServer } = await import('./helpers/servers.js');
  const plain = await startServer();
  try {
    const err = await failure(plain.url.replace('http:', 'https:'), {});
    assert.equal(errorKind(err), 'TLS_HANDSHAKE', `code ${errorCode(err)}`);
  } finally {
    await plain.close();
  }
});

test('the other certificate codes Node may give fold the same way', () => {
  const kinds: Record<string, string> = {
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS_CERT_UNTRUSTED',
    UNABLE_TO_GET_ISSUER_CERT: 'TLS_CERT_UNTRUSTED',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS_CERT_UNTRUSTED',
    CERT_NOT_YET_VALID: 'TLS_CERT_EXPIRED',
    EPROTO: 'TLS_HANDSHAKE',
    ERR_SSL_WRONG_VERSION_NUMBER: 'TLS_HANDSHAKE',
    CERT_REVOKED: 'TLS_HANDSHAKE',
    ECONNREFUSED: 'ECONNREFUSED',
  };
  for (const [code, kind] of Object.entries(kinds)) assert.equal(errorKind(Object.assign(new Error('x'), { code })), kind, code);
});
