/**
 * End to end: `http.tls` and bench's TLS flags against loopback HTTPS
 * servers with certificates made at test time (helpers/tls.ts). What the
 * server answered must equal the report's requests; a refused handshake is
 * counted under its TLS kind with the hint that fixes it; the client's
 * private key appears in no output; a remote agent gets the CA in its plan.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';
import { makePki, startHttpsServer, type HttpsServer, type Pki } from './helpers/tls.js';

interface Report {
  setup?: { name: string; status: number; ok: boolean }[];
  totals: { requests: number; ok: number; failed: number; resent: number };
  errors: Record<string, number>;
  errorExamples?: Record<string, string>;
  tls?: { insecure: boolean; ca: boolean; clientCertificate: boolean; servername?: string };
  agents: { status: string }[];
}

let pki: Pki;
let server: HttpsServer;
let insecureServer: HttpsServer;
let expired: HttpsServer;
let mutual: HttpsServer;
/** localhost, a redirect's other origin: reached through the share's Agent for other origins (redirects.ts). */
let hopTarget: HttpsServer;
let redirecting: HttpsServer;

/** The scenarios of the batch, in order; each server counts only its own scenario's requests (the others it serves are refused). */
const BATCH = ['trusted', 'untrusted', 'mismatch', 'expired', 'no-client-cert', 'client-cert', 'insecure', 'redirect'] as const;

/**
 * One `run` of every scenario file case (one start-up for all), with every
 * output format: its exit code, output, reports by scenario, the output
 * dir, and what each server answered.
 */
let batch: { code: number | null; stdout: string; stderr: string; reports: Record<string, Report>; dir: string; answered: { trusted: number; insecure: number; mutual: number; hop: number; redirecting: number } };

/** A 1-VU scenario against `target` with these `http.tls` settings, written beside the certificates. */
function scenario(target: string, tls: Record<string, unknown> | undefined, name: string, duration = '500ms', extra: Record<string, unknown> = {}): Promise<string> {
  return writeScenario(pki.dir, `${name}.json`, { name, target, executor: 'constant-vus', vus: 1, duration, requests: [{ name: 'home', path: '/' }], ...extra, ...(tls && { http: { tls } }) });
}

before(async () => {
  pki = await makePki();
  [server, insecureServer, expired, mutual] = await Promise.all([
    startHttpsServer({ cert: pki.leaf, key: pki.leafKey }),
    startHttpsServer({ cert: pki.leaf, key: pki.leafKey }),
    startHttpsServer({ cert: pki.expired, key: pki.expiredKey }),
    startHttpsServer({ cert: pki.leaf, key: pki.leafKey, clientCa: pki.clientCa }),
  ]);
  hopTarget = await startHttpsServer({ cert: pki.leaf, key: pki.leafKey });
  redirecting = await startHttpsServer({ cert: pki.leaf, key: pki.leafKey, redirectTo: `${hopTarget.url.replace('127.0.0.1', 'localhost')}/landed` });
  const files = [
    // Its setup request goes through the setup client (journey/once.ts) with the same TLS settings.
    await scenario(server.url, { ca: 'ca.pem' }, 'trusted', '1s', { setup: { requests: [{ name: 'warm', path: '/' }] } }),
    await scenario(server.url, undefined, 'untrusted'),
    await scenario(server.url, { ca: 'ca.pem', servername: 'api.internal' }, 'mismatch'),
    await scenario(expired.url, { ca: 'ca.pem' }, 'expired'),
    await scenario(mutual.url, { ca: 'ca.pem' }, 'no-client-cert'),
    await scenario(mutual.url, { ca: 'ca.pem', cert: 'client.pem', key: 'client-key.pem' }, 'client-cert'),
    await scenario(insecureServer.url, { insecure: true }, 'insecure'),
    await writeScenario(pki.dir, 'redirect.json', { name: 'redirect', target: redirecting.url, executor: 'constant-vus', vus: 1, duration: '500ms', requests: [{ name: 'go', path: '/go' }], http: { tls: { ca: 'ca.pem' } } }),
  ];
  const dir = await tempDir();
  const outs = ['--out', 'r.json', '--csv', 'r.csv', '--html', 'r.html', '--junit', 'r.xml', '--markdown', 'r.md', '--hdr-log', 'r.hlog'].map((a) => (a.startsWith('r.') ? join(dir, a) : a));
  const r = await runCli(['run', ...files, '--threads', '1', ...outs]);
  const reports: Record<string, Report> = {};
  for (const name of BATCH) {
    reports[name] = JSON.parse(await readFile(join(dir, `r.${name}.json`), 'utf8').catch(() => 'null')) as Report;
    assert.ok(reports[name] !== null, `no report for ${name} (exit ${r.code}): ${r.stderr}`);
  }
  batch = { ...r, reports, dir, answered: { trusted: server.requests(), insecure: insecureServer.requests(), mutual: mutual.requests(), hop: hopTarget.requests(), redirecting: redirecting.requests() } };
});
after(() => Promise.all([server, insecureServer, expired, mutual, hopTarget, redirecting].map((s) => s?.close())));

/** The text summary of scenario `name` in the batch's output. */
function summaryOf(name: string): string {
  const at = batch.stdout.indexOf(`Scenario: ${name} (`);
  assert.ok(at >= 0, batch.stdout);
  const next = batch.stdout.indexOf('Scenario: ', at + 1);
  return batch.stdout.slice(at, next < 0 ? undefined : next);
}

/** Run the CLI with the report written to a fresh dir; the exit code, the output and the report. */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; report: Report }> {
  const dir = await tempDir();
  const r = await runCli([...args, '--threads', '1', '--out', join(dir, 'r.json')]);
  const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8').catch(() => 'null')) as Report;
  assert.ok(report !== null, `no report (exit ${r.code}): ${r.stderr}`);
  return { ...r, report };
}

/** The requests the server answered while `body` ran. */
async function answered(target: HttpsServer, body: () => Promise<void>): Promise<number> {
  const before = target.requests();
  await body();
  return target.requests() - before;
}

test('trusted by http.tls.ca (a path relative to the scenario): every request ok, as many as the server answered (setup included)', () => {
  assert.equal(batch.code, 0, batch.stderr);
  const r = batch.reports.trusted!;
  assert.ok(r.totals.ok > 10, JSON.stringify(r.totals));
  assert.equal(r.totals.failed, 0);
  assert.deepEqual(r.setup, [{ ...r.setup![0]!, name: 'warm', status: 200, ok: true }]);
  // The batch's other scenarios against this server are refused in the handshake: all it answered is this one's.
  assert.equal(r.totals.requests + r.totals.resent + 1, batch.answered.trusted);
  assert.deepEqual(r.tls, { insecure: false, ca: true, clientCertificate: false });
});

test('without the CA every request fails as TLS_CERT_UNTRUSTED, the server answers none, and the hint names http.tls.ca', () => {
  const r = batch.reports.untrusted!;
  assert.ok(r.totals.requests > 0);
  assert.deepEqual(r.errors, { TLS_CERT_UNTRUSTED: r.totals.requests });
  assert.match(summaryOf('untrusted'), /- TLS_CERT_UNTRUSTED \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): \d+\n {4}hint: .*http\.tls\.ca \(bench: --ca FILE\).*http\.tls\.insecure/);
  // The Node code behind the kind, kept once in the report.
  assert.deepEqual(r.errorExamples, { TLS_CERT_UNTRUSTED: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
});

test('a servername the certificate is not for: TLS_HOSTNAME_MISMATCH with the servername hint; an expired certificate: TLS_CERT_EXPIRED', () => {
  const mismatch = batch.reports.mismatch!;
  // Every request fails at once (undici 7.30 hangs a connection's next request after Node's own code: tls.ts).
  assert.ok(mismatch.totals.requests > 10, JSON.stringify(mismatch.totals));
  assert.deepEqual(mismatch.errors, { TLS_HOSTNAME_MISMATCH: mismatch.totals.requests });
  assert.equal(mismatch.tls?.servername, 'api.internal');
  assert.match(summaryOf('mismatch'), /TLS_HOSTNAME_MISMATCH \(ERR_TLS_CERT_ALTNAME_INVALID\): \d+\n {4}hint: .*http\.tls\.servername/);
  const r = batch.reports.expired!;
  assert.ok(r.totals.requests > 0);
  assert.deepEqual(r.errors, { TLS_CERT_EXPIRED: r.totals.requests });
  assert.equal(expired.requests(), 0);
});

test('http.tls.insecure: accepted without the CA, one warning line, recorded in the report and shown in text, markdown and HTML', async () => {
  const r = batch.reports.insecure!;
  assert.equal(r.totals.failed, 0);
  assert.ok(r.totals.ok > 10);
  assert.equal(r.totals.requests + r.totals.resent, batch.answered.insecure);
  assert.equal(batch.stderr.match(/does not verify the TLS certificate/g)?.length, 1, batch.stderr);
  assert.match(batch.stderr, /novaload: warning: scenario "insecure" does not verify the TLS certificate of https:\/\/127\.0\.0\.1:\d+ \(http\.tls\.insecure\)/);
  assert.equal(r.tls?.insecure, true);
  assert.match(summaryOf('insecure'), /WARNING: TLS certificates were not verified \(http\.tls\.insecure\)/);
  assert.doesNotMatch(summaryOf('trusted'), /not verified/);
  assert.match(await readFile(join(batch.dir, 'r.insecure.md'), 'utf8'), /> \[!WARNING\]\n> WARNING: TLS certificates were not verified/);
  assert.match(await readFile(join(batch.dir, 'r.insecure.html'), 'utf8'), /<p class="notice">WARNING: TLS certificates were not verified/);
});

test('mutual TLS: refused without a client certificate (TLS 1.3: the server closes, ECONNRESET, with the client-certificate hint), accepted with one; the key is in no output', async () => {
  const refused = batch.reports['no-client-cert']!;
  assert.ok(refused.totals.requests > 0);
  assert.deepEqual(refused.errors, { ECONNRESET: refused.totals.requests });
  assert.ok(mutual.tlsErrors() >= refused.totals.requests, `server saw ${mutual.tlsErrors()} refused handshakes`);
  assert.match(summaryOf('no-client-cert'), /ECONNRESET: \d+\n {4}hint: .*client certificate: set http\.tls\.cert and http\.tls\.key/);
  const accepted = batch.reports['client-cert']!;
  assert.equal(accepted.totals.failed, 0);
  assert.ok(accepted.totals.ok > 10);
  assert.equal(accepted.totals.requests + accepted.totals.resent, batch.answered.mutual);
  assert.equal(accepted.tls?.clientCertificate, true);
  // Every line of the key's base64 body, in every output file of the batch and on both streams.
  const keyLines = (await readFile(pki.clientKey, 'utf8')).split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  assert.ok(keyLines.length > 0);
  const files = await readdir(batch.dir);
  assert.ok(files.length >= BATCH.length * 6, files.join(', '));
  for (const f of files) {
    const text = await readFile(join(batch.dir, f), 'utf8');
    for (const line of keyLines) assert.ok(!text.includes(line), `${f} holds the private key`);
  }
  for (const line of keyLines) assert.ok(!batch.stdout.includes(line) && !batch.stderr.includes(line));
});

test('a redirect to another origin trusts http.tls.ca too: every hop answered, every request ok', () => {
  const r = batch.reports.redirect!;
  assert.equal(r.totals.failed, 0, JSON.stringify(r.errors));
  assert.ok(r.totals.ok > 10);
  assert.equal(r.totals.requests + r.totals.resent, batch.answered.redirecting);
  assert.equal(batch.answered.hop, batch.answered.redirecting);
});

test('bench https://… --ca trusts the CA, -k skips verification (with its warning); each counts what the server answered', async () => {
  let ca!: Awaited<ReturnType<typeof run>>;
  const seenCa = await answered(server, async () => void (ca = await run(['bench', server.url, '-d', '500ms', '-c', '1', '--ca', pki.ca, '--quiet'])));
  assert.equal(ca.code, 0, ca.stderr);
  assert.equal(ca.report.totals.failed, 0);
  assert.equal(ca.report.totals.requests + ca.report.totals.resent, seenCa);
  assert.equal(ca.report.tls?.ca, true);
  let k!: Awaited<ReturnType<typeof run>>;
  const seenK = await answered(server, async () => void (k = await run(['bench', server.url, '-d', '500ms', '-c', '1', '-k', '--quiet'])));
  assert.equal(k.code, 0, k.stderr);
  assert.equal(k.report.totals.failed, 0);
  assert.equal(k.report.totals.requests + k.report.totals.resent, seenK);
  assert.equal(k.report.tls?.insecure, true);
  assert.equal(k.stderr.match(/does not verify the TLS certificate/g)?.length, 1, k.stderr);
});

test('distributed: an agent in a directory without the files gets the CA in the plan, and its requests succeed', async () => {
  const file = await scenario(server.url, { ca: 'ca.pem' }, 'remote', '500ms');
  const dir = await tempDir();
  const before = server.requests();
  const controller = await startController(['run', file, '--agents', '1', '--quiet', '--out', join(dir, 'r.json')]);
  const agent = startAgent(controller.url, ['--once']);
  const [c, a] = await Promise.all([controller.result, agent.result]);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(a.code, 0, a.stderr);
  const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
  assert.deepEqual(report.agents.map((x) => x.status), ['ok']);
  assert.equal(report.totals.failed, 0);
  assert.ok(report.totals.ok > 10);
  assert.equal(report.totals.requests + report.totals.resent, server.requests() - before);
});

test('validate: every http.tls problem at once, each at its path (104)', async () => {
  const dir = await tempDir();
  const notPem = join(dir, 'not.pem');
  await (await import('node:fs/promises')).writeFile(notPem, 'hello\n');
  const bad = await writeScenario(dir, 'bad.json', {
    target: 'https://127.0.0.1:1',
    requests: [{ path: '/' }],
    executor: 'constant-vus',
    vus: 1,
    duration: '1s',
    http: { tls: { ca: 'missing.pem', cert: 'not.pem', servername: '10.0.0.1' } },
  });
  const plain = await writeScenario(dir, 'plain.json', { target: 'http://127.0.0.1:1', requests: [{ path: '/' }], executor: 'constant-vus', vus: 1, duration: '1s', http: { tls: { insecure: true } } });
  const swapped = await writeScenario(pki.dir, 'swapped.json', { target: server.url, requests: [{ path: '/' }], executor: 'constant-vus', vus: 1, duration: '1s', http: { tls: { cert: 'client.pem', key: 'leaf-key.pem' } } });
  const r = await runCli(['validate', bad, plain, swapped]);
  assert.equal(r.code, 104, r.stderr);
  const out = r.stdout + r.stderr;
  assert.match(out, /bad\.json: \$\.http\.tls\.ca: cannot read .*missing\.pem: no such file \(the path is relative to the scenario file\)/);
  assert.match(out, /bad\.json: \$\.http\.tls\.cert: .*not\.pem is not a PEM file/);
  assert.match(out, /bad\.json: \$\.http\.tls\.key: needs "key" beside it|bad\.json: \$\.http\.tls\.cert: needs "key" beside it/);
  assert.match(out, /bad\.json: \$\.http\.tls\.servername: "10\.0\.0\.1" is not a host name/);
  assert.match(out, /plain\.json: \$\.http\.tls: http\.tls applies to https:\/\/ targets, but the target is http:\/\/127\.0\.0\.1:1 \(use an https:\/\/ target, or remove http\.tls\)/);
  assert.match(out, /swapped\.json: \$\.http\.tls\.key: leaf-key\.pem is not the private key of the certificate in client\.pem/);
  const keyLines = (await readFile(join(pki.dir, 'leaf-key.pem'), 'utf8')).split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  for (const line of keyLines) assert.ok(!out.includes(line), 'a problem message holds the key');
});
