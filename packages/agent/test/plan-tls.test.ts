/** The TLS settings a plan may carry (http.tls): PEM texts within their sizes, a certificate only with its key, a host name as servername. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPlan, type AgentLimits } from '../src/remote/plan-check.js';
import type { TlsSettings } from '../src/scenario.js';
import { plan, SCENARIO, type Plan } from './helpers/plans.js';

const LIMITS: AgentLimits = { threads: 1, openFiles: 1024, memoryMb: 4096 };
const PEM = (label: string, bytes = 300): string => `-----BEGIN ${label}-----\n${'A'.repeat(bytes)}\n-----END ${label}-----\n`;

function withTls(tls: unknown): Plan {
  const scenario = { ...SCENARIO, target: 'https://127.0.0.1:8443', executor: { type: 'constant-vus', vus: 1, durationMs: 1000 }, http: { ...SCENARIO.http, tls: tls as TlsSettings } };
  return plan(scenario, { shares: [0], totalShares: 1 });
}

test('a plan with a CA, a client certificate and its key, a servername and insecure passes as sent', () => {
  const tls = { ca: PEM('CERTIFICATE'), cert: PEM('CERTIFICATE'), key: PEM('PRIVATE KEY'), servername: 'api.internal', insecure: true };
  const checked = checkPlan(withTls(tls), LIMITS);
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.deepEqual(checked.scenario.http.tls, tls);
});

test('a plan is refused with a certificate without its key, text that is not PEM, a key too large, a servername that is no host name, an unknown field', () => {
  const bad: [unknown, RegExp][] = [
    [{ cert: PEM('CERTIFICATE') }, /key/],
    [{ ca: 'not a certificate' }, /ca/],
    [{ cert: PEM('CERTIFICATE'), key: PEM('PRIVATE KEY', 70 * 1024) }, /key/],
    [{ servername: 'api.internal:443' }, /servername/],
    [{ passphrase: 'x' }, /passphrase|additional/],
  ];
  for (const [tls, where] of bad) {
    const checked = checkPlan(withTls(tls), LIMITS);
    assert.ok(!checked.ok, JSON.stringify(tls).slice(0, 80));
    assert.equal(checked.code, 'PLAN_INVALID');
    assert.match(checked.message, where, checked.message);
    assert.ok(!checked.message.includes('AAAA'), 'a refusal quotes the PEM text');
  }
});
