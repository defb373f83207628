/**
 * Setup and teardown: requests sent once, in order, on the controller,
 * before and after the load (issue 12 point 5). They are prepared like load
 * requests (RequestPlan: http.headers, User-Agent, base path, compiled
 * steps and checks) and sent through one undici Client to the target with
 * the guarded lookup every connection uses. A setup capture is a plain name
 * to the later setup requests and `setup.NAME` to the load and teardown.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Client, Dispatcher } from 'undici';
import type { PhaseEntry } from '@novaload/report';
import { errorKind } from '../errors.js';
import { Rng } from '../rng.js';
import { Protocols } from '../alpn.js';
import { connector } from '../http.js';
import { Recorder } from '../recorder.js';
import { GeneratorMonitor } from '../generator.js';
import { RequestPlan, statusOk, type PreparedRequest } from '../requests.js';
import type { ResolvedRequest, ResolvedScenario } from '../scenario.js';
import type { StepResponse } from './capture.js';
import { checkedBody } from './collector.js';
import { VuState } from './state.js';

/** What a phase did: an entry per request sent (it stops at the first failure) and the values it captured. */
export interface OnceResult {
  entries: PhaseEntry[];
  values: Record<string, unknown>;
}

/** Headers as undici's raw list (name, value, …), for captures and checks that read them. */
function rawOf(headers: IncomingHttpHeaders): Buffer[] {
  const raw: Buffer[] = [];
  for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) raw.push(Buffer.from(k, 'latin1'), Buffer.from(one, 'latin1'));
  return raw;
}

/**
 * Send `requests` once each, in order, with `setupValues` as `setup.*`; the
 * first failing request (status, check, capture, transport, a value it
 * needs missing) ends the phase, its entry saying why.
 */
export async function runOnce(scenario: ResolvedScenario, requests: readonly ResolvedRequest[], setupValues: Record<string, unknown>): Promise<OnceResult> {
  const recorder = new Recorder(0, () => {}, () => 0, new GeneratorMonitor());
  const plan = new RequestPlan({ ...scenario, requests: [...requests], setupValues }, recorder);
  // The VU number of setup and teardown is 0, as k6's __VU is in setup().
  const state = new VuState(0, plan.slotCount, new Rng(1, 0));
  // Loaded only by runs that have a setup or teardown: undici's index (its request() API) is ~200 ms of CPU to load.
  const { Client } = await import('undici');
  const client = new Client(plan.origin, {
    headersTimeout: scenario.http.timeoutMs,
    bodyTimeout: scenario.http.timeoutMs,
    // The load's connector: the same lookup guard and http.version (an h2-only target takes setup over h2 too).
    connect: connector(scenario.http, new Protocols()),
  });
  const entries: PhaseEntry[] = [];
  try {
    for (const req of plan.requests) {
      const entry = await sendOnce(client, req, state);
      entries.push(entry);
      if (!entry.ok) break;
    }
  } finally {
    await client.destroy();
  }
  // Slots are numbered in order of first capture, as RequestPlan numbers them.
  const names = [...new Set(requests.flatMap((r) => (r.capture ?? []).map((c) => c.as)))];
  const values: Record<string, unknown> = {};
  names.forEach((name, slot) => {
    if (state.slots[slot] !== undefined) values[name] = state.slots[slot];
  });
  return { entries, values };
}

async function sendOnce(client: Client, req: PreparedRequest, state: VuState): Promise<PhaseEntry> {
  const options: Dispatcher.DispatchOptions | null = req.step ? req.step.build(state) : req.options;
  if (options === null) return { name: req.name, status: 0, ms: 0, ok: false, error: 'SKIPPED' };
  const started = performance.now();
  let res: StepResponse;
  try {
    const out = await client.request({ method: options.method, path: options.path, headers: options.headers, body: options.body as Buffer | null });
    const body = await out.body.text();
    let parsed: unknown;
    let tried = false;
    res = {
      status: out.statusCode,
      rawHeaders: rawOf(out.headers),
      body,
      json() {
        if (!tried) {
          tried = true;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
        }
        return parsed;
      },
    };
  } catch (err) {
    req.step?.after(state, null);
    return { name: req.name, status: 0, ms: Math.round(performance.now() - started), ok: false, error: errorKind(err) };
  }
  const ms = Math.round(performance.now() - started);
  let kind: string | null = statusOk(req, res.status) ? null : `HTTP_${res.status}`;
  if (req.step) kind = req.step.after(state, kind === null ? res : null) ?? kind;
  if (req.checks !== null) kind ??= req.checks.evaluate(checkedBody(res), state, req.recorder);
  return { name: req.name, status: res.status, ms, ok: kind === null, ...(kind !== null && { error: kind }) };
}
