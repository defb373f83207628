/**
 * TLS error kinds in the report: the first Node code per kind survives the
 * merge of shares (errorExamples), and every format shows it beside the
 * kind with the hint naming the option that fixes it; insecure runs say so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorHint, renderHtml, renderMarkdown, renderText, RunAggregator, type Report } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** Two shares over one second, both failing with TLS_HANDSHAKE under different Node codes; share 0 arrives first. */
function tlsReport(): Report {
  const agg = new RunAggregator({ ...META, target: 'https://127.0.0.1:8443' }, 2);
  const codes = ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'EPROTO'];
  for (const share of [0, 1]) {
    const ep = { ...endpoint({ latency: [900, 1100], serviceTime: [900, 1100], ttfb: [], errors: ['TLS_HANDSHAKE', 'TLS_HANDSHAKE'] }), errorExamples: { TLS_HANDSHAKE: codes[share]! } };
    agg.add(snapshot({ share, seq: 0, second: 0, endpoints: { [META.requests[0]!.name]: ep } }));
  }
  return { ...agg.finish({ durationMs: 1000, interrupted: false, thresholds: {} }), tls: { insecure: true, ca: false, clientCertificate: false } };
}

test('the first share\'s code is kept per kind; text, markdown and HTML show it with the hint and the insecure warning', () => {
  const report = tlsReport();
  assert.deepEqual(report.errors, { TLS_HANDSHAKE: 4 });
  assert.deepEqual(report.errorExamples, { TLS_HANDSHAKE: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
  const hint = errorHint('TLS_HANDSHAKE', report.target)!;
  assert.match(hint, /http\.tls\.cert and http\.tls\.key/);
  const text = renderText(report);
  assert.ok(text.includes(`  - TLS_HANDSHAKE (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE): 4\n    hint: ${hint}\n`), text);
  assert.match(text, /^WARNING: TLS certificates were not verified \(http\.tls\.insecure\)/m);
  const md = renderMarkdown(report);
  assert.ok(md.includes('| kind | count | hint |'), md);
  assert.match(md, /\| TLS\\?_HANDSHAKE \(ERR\\?_SSL\\?_SSLV3\\?_ALERT\\?_HANDSHAKE\\?_FAILURE\) \| 4 \| the TLS handshake failed/);
  assert.match(md, /> \[!WARNING\]\n> WARNING: TLS certificates were not verified/);
  const html = renderHtml(report);
  assert.match(html, /<td>TLS_HANDSHAKE \(ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE\)<\/td>/);
  assert.ok(html.includes('http.tls.cert and http.tls.key'));
  assert.match(html, /<p class="notice">WARNING: TLS certificates were not verified/);
});

test('kinds without a hint keep the two-column tables; ECONNRESET has one only on an https:// target', () => {
  assert.equal(errorHint('HTTP_503', 'https://x.invalid'), null);
  assert.equal(errorHint('ECONNRESET', 'http://x.invalid'), null);
  assert.match(errorHint('ECONNRESET', 'https://x.invalid')!, /client certificate/);
  for (const kind of ['TLS_CERT_UNTRUSTED', 'TLS_CERT_EXPIRED']) assert.match(errorHint(kind, 'https://x.invalid')!, /http\.tls\.insecure/);
  assert.match(errorHint('TLS_CERT_UNTRUSTED', 'https://x.invalid')!, /http\.tls\.ca/);
  assert.match(errorHint('TLS_HOSTNAME_MISMATCH', 'https://x.invalid')!, /http\.tls\.servername/);
});

test('a snapshot whose example names a kind it does not count is refused', () => {
  const agg = new RunAggregator(META, 1);
  const ep = { ...endpoint({ latency: [900], serviceTime: [900], ttfb: [], errors: ['TIMEOUT'] }), errorExamples: { TLS_HANDSHAKE: 'EPROTO' } };
  assert.throws(() => agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { [META.requests[0]!.name]: ep } })), /has an example for "TLS_HANDSHAKE", not one of its error kinds/);
});
