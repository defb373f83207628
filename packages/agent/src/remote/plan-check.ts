/**
 * What an agent checks in a plan before it answers `ready`: the scenario's
 * shape (the same strictness as a local run's file schema), its target, the
 * agent's own host rules, and whether its shares fit this machine (file
 * descriptors, memory per VU). The controller validated the scenario
 * already, but an agent trusts nobody's checks but its own: a plan from a
 * buggy or hostile controller is refused with a reason sent back, and the
 * agent stays up for the next one.
 *
 * The metadata rule is the agent's alone: whatever `http.allowMetadata` the
 * plan carries, the scenario that runs here may reach a metadata address
 * only when the agent's --allow-hosts names the target host.
 */
import { PLAN_SCENARIO } from '../generated/protocol-validators.js';
import { valueStarts } from '../data-source.js';
import { allowListNames, hostOf, isMetadataHost } from '../hosts.js';
import { runScopeOf } from '../journey/check-value.js';
import { CompiledChecks } from '../journey/checks.js';
import { journeyProblem } from '../journey/plan-check.js';
import { baseDescriptors, heapMbForVus, peakVus, shareConnections } from '../limits.js';
import type { ResolvedScenario } from '../scenario.js';
import { shareCount } from '../split.js';
import type { ControllerMessage } from './protocol.js';
import { describe } from './schemas.js';

type Plan = Extract<ControllerMessage, { type: 'plan' }>;

/** A response check this agent cannot compile (a bad JSONPath or regex, an operator its target lacks), named; else null. */
function checksProblem(scenario: ResolvedScenario): string | null {
  const scope = runScopeOf(scenario);
  for (const r of scenario.requests) {
    try {
      if (r.checks !== undefined) new CompiledChecks(r.checks, scope);
    } catch (err) {
      return `request "${r.name}" has a check this agent cannot compile: ${(err as Error).message}`;
    }
  }
  return null;
}

/** Why a plan is refused: a host rule (the controller exits 104), a malformed plan, or more than this machine holds. */
export type PlanRefusalCode = 'TARGET_NOT_ALLOWED' | 'PLAN_INVALID' | 'PLAN_TOO_LARGE';

/** What the agent is and allows; the limits are read from the machine by the caller (openFilesLimit, memoryLimitMb). */
export interface AgentLimits {
  threads: number;
  /** Hosts this agent may load; empty or undefined = any but metadata addresses. */
  allowHosts?: readonly string[];
  /** Soft open-file limit; null = unknown or unlimited (not checked). */
  openFiles: number | null;
  memoryMb: number;
  /** What the runs this agent already accepted hold (a run file's other workloads run at the same time): subtracted from the limits. */
  committed?: PlanSize;
}

/** What a plan's shares hold on this agent at their peak: connections (file descriptors) and memory. */
export interface PlanSize {
  connections: number;
  memoryMb: number;
}

/** The peak connections and memory of a plan's shares (sizeProblem judges these, plus what is already committed). */
export function planSize(plan: Plan): PlanSize {
  const vus = plan.shares.map((share) => shareCount(peakVus(plan.scenario), share, plan.totalShares));
  return { connections: shareConnections(plan.scenario, plan.shares, plan.totalShares), memoryMb: vus.reduce((sum, v) => sum + heapMbForVus(v), 0) };
}

export type PlanCheck = { ok: true; scenario: ResolvedScenario } | { ok: false; code: PlanRefusalCode; message: string };

const refuse = (code: PlanRefusalCode, message: string): PlanCheck => ({ ok: false, code, message });

/** Check a plan against the agent's schema, rules and limits; when it passes, the scenario to run (with the agent's metadata rule). */
export function checkPlan(plan: Plan, limits: AgentLimits): PlanCheck {
  if (!PLAN_SCENARIO(plan.scenario)) return refuse('PLAN_INVALID', `the plan's scenario is invalid: ${describe(PLAN_SCENARIO.errors?.[0])} (are the controller and this agent the same novaload version?)`);
  const scenario = plan.scenario;
  const target = targetProblem(scenario.target);
  if (target !== null) return refuse('PLAN_INVALID', target);
  const shares = sharesProblem(plan, limits.threads) ?? rowsProblem(plan);
  if (shares !== null) return refuse('PLAN_INVALID', shares);
  // Templates first: compiling a check value relies on its names being checked.
  const journey = journeyProblem(scenario);
  if (journey !== null) return refuse('PLAN_INVALID', `the plan's scenario is invalid: ${journey}`);
  const checks = checksProblem(scenario);
  if (checks !== null) return refuse('PLAN_INVALID', checks);
  const host = hostOf(scenario.target);
  const named = allowListNames(limits.allowHosts, host);
  const allowed = limits.allowHosts ?? [];
  if (allowed.length > 0 && !named) {
    return refuse('TARGET_NOT_ALLOWED', `target host ${host} is not in this agent's --allow-hosts (${allowed.join(', ')}); start the agent with --allow-hosts ${[...allowed, host].join(',')} to allow it`);
  }
  if (!named && isMetadataHost(host)) {
    return refuse('TARGET_NOT_ALLOWED', `target host ${host} is a cloud metadata address; an agent loads it only when started with --allow-hosts ${host}`);
  }
  const size = sizeProblem(plan, limits);
  if (size !== null) return refuse('PLAN_TOO_LARGE', size);
  const { allowMetadata: _fromController, allowHosts: fromScenario, ...rest } = scenario.http;
  const hops = hopAllowList(fromScenario, limits.allowHosts);
  const http = hops === undefined ? rest : { ...rest, allowHosts: hops };
  return { ok: true, scenario: { ...scenario, http: named ? { ...http, allowMetadata: true } : http } };
}

/**
 * Where redirects may go on this agent: hosts both the scenario's allowHosts
 * and the agent's --allow-hosts name (either alone when only one is given),
 * and a metadata address only when the agent's own list names it, as for
 * the target. undefined: no list, any host but a metadata address.
 */
function hopAllowList(fromScenario: readonly string[] | undefined, agent: readonly string[] | undefined): string[] | undefined {
  const own = agent !== undefined && agent.length > 0 ? agent : undefined;
  if (fromScenario === undefined) return own && [...own];
  return fromScenario.filter((h) => (own === undefined ? !isMetadataHost(h) : allowListNames(own, h)));
}

function targetProblem(target: string): string | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return `target ${JSON.stringify(target)} is not an absolute URL (e.g. http://10.0.0.5:8080)`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? null : `target ${JSON.stringify(target)} is not an http:// or https:// URL`;
}

function sharesProblem(plan: Plan, threads: number): string | null {
  const bad = plan.shares.find((s) => s >= plan.totalShares);
  if (bad !== undefined) return `share ${bad} does not exist in a run of ${plan.totalShares} shares`;
  if (new Set(plan.shares).size !== plan.shares.length) return `the plan names a share twice (${plan.shares.join(',')})`;
  if (plan.shares.length > threads) return `the plan gives ${plan.shares.length} shares to an agent with ${threads} thread(s); a controller deals at most one per thread`;
  return null;
}

/** Each share's data rows must be there, one set per share, whole rows of the file's columns. */
function rowsProblem(plan: Plan): string | null {
  const data = plan.scenario.data;
  if (data === undefined) return plan.rows === undefined ? null : 'the plan carries data rows but its scenario reads no data file';
  if (plan.rows?.length !== plan.shares.length) return `the scenario reads ${data.file} but the plan carries rows for ${plan.rows?.length ?? 0} of its ${plan.shares.length} share(s)`;
  const width = data.columns.length;
  for (const [i, rows] of plan.rows.entries()) {
    const badIndex = rows.index !== null && (rows.index.length !== rows.count || rows.index.some((r) => r >= data.rows));
    let fits = rows.count > 0 && rows.count <= data.rows && !badIndex;
    try {
      if (fits) valueStarts(rows.cells, rows.count * width);
    } catch {
      fits = false;
    }
    if (!fits) return `share ${plan.shares[i]}'s data rows do not fit ${data.file} (${width} column(s), ${data.rows} row(s))`;
  }
  return null;
}

/** The plan's shares, plus the runs already accepted, against this machine's open-file limit and memory, with what it needs and how to make it fit. */
function sizeProblem(plan: Plan, limits: AgentLimits): string | null {
  const own = planSize(plan);
  const committed = limits.committed ?? { connections: 0, memoryMb: 0 };
  const besides = committed.connections > 0 || committed.memoryMb > 0 ? ', with the runs already on this agent,' : '';
  const connections = own.connections + committed.connections;
  const descriptors = connections + baseDescriptors(limits.threads);
  if (limits.openFiles !== null && descriptors > limits.openFiles) {
    return (
      `its shares${besides} need about ${descriptors} file descriptors (${connections} connections at the peak) but this agent may open only ${limits.openFiles} (ulimit -n); ` +
      `nothing was sent. Raise the agent's limit (ulimit -n ${descriptors}, systemd LimitNOFILE=, docker run --ulimit nofile=${descriptors}), add agents, or use fewer VUs or a connection pool (http.connections)`
    );
  }
  const memoryMb = own.memoryMb + committed.memoryMb;
  if (memoryMb > limits.memoryMb) {
    const total = plan.shares.reduce((sum, share) => sum + shareCount(peakVus(plan.scenario), share, plan.totalShares), 0);
    return (
      `its shares${besides} need about ${memoryMb} MB of memory (${total} VUs at 16 KB each, plus 128 MB per share) but this agent has ${limits.memoryMb} MB; ` +
      'nothing was sent. Add agents, or use fewer VUs'
    );
  }
  return null;
}
