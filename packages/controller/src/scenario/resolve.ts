/**
 * From a parsed scenario file to the ResolvedScenario every share runs:
 * schema, executor, requests, thresholds and overrides are all checked in
 * one pass so the user sees every problem at once; defaults are filled in
 * and durations become milliseconds, so the load engine never parses.
 */
import { basename, extname } from 'node:path';
import { allowListNames, hostOf, type HttpSettings, type ResolvedScenario } from '@novaload/agent';
import { finishExecutor, isClosed, isExecutorType, resolveExecutor } from './executor.js';
import { applyOverrides, checkOverrides, type Overrides } from './overrides.js';
import { jsonPath, ProblemList } from './problems.js';
import type { RawScenario } from './raw.js';
import { resolveData } from './data.js';
import { resolveRequests } from './requests.js';
import { resolvePhases } from './phases.js';
import { checkSchema } from './schema-check.js';
import { thinkTimeAt } from './think.js';
import { checkTargetHost, targetWhere } from './hosts.js';
import { checkTemplates } from './templates.js';
import { checkThresholds } from './thresholds.js';
import { checkCheckThresholds } from './checks.js';
import { checkHeaders, durationAt, targetAt } from './values.js';
import { checkTlsTarget, resolveTls } from './tls.js';
import { keepOutputs, resolveOutputs } from './outputs.js';

/** How strict resolving is about what the command line may still supply. */
export interface ResolveOptions {
  /**
   * `validate` without --target: a file without "target" is not a problem,
   * since `run --target` may supply it; the scenario's target is then ''.
   */
  targetLater?: boolean;
  /** The controller's environment with --env on top, for `{{ env.NAME }}` (absent: nothing is set). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Validate a parsed scenario (`file` names it in problems and gives the default name); throws InputError with every problem. */
export function resolveScenario(raw: unknown, file: string, overrides: Overrides = {}, options: ResolveOptions = {}): ResolvedScenario {
  const problems = new ProblemList(file);
  const data = checkSchema(raw, problems);
  const parts = data && resolveParts(data, file, overrides, options, problems);
  if (data?.startTime !== undefined) problems.add(jsonPath('startTime'), 'startTime delays an entry of a run file\'s "scenarios"; a file on its own starts at once', 'put this scenario in a run file\'s "scenarios" with its "startTime", or begin "stages" with { "duration": "30s", "target": 0 }');
  const outputs = data ? resolveOutputs(data, problems) : {};
  const overrideTarget = checkOverrides(overrides, isExecutorType(data?.executor) ? data.executor : undefined, problems);
  const target = overrideTarget ?? parts?.fileTarget;
  if (target !== undefined) checkTargetHost(problems, targetWhere(overrideTarget !== undefined), target, data?.allowHosts);
  if (target !== undefined) checkTlsTarget(problems, target, data?.http?.tls);
  if (target !== undefined) checkVersion(problems, target, data?.http?.version);
  problems.throwIfAny();
  const { draft, fileTarget: _fileTarget, http, ...rest } = parts!;
  const executor = finishExecutor(applyOverrides(draft!, overrides));
  return keepOutputs({
    name: data!.name ?? (basename(file, extname(file)) || 'scenario'),
    target: target ?? '',
    executor,
    ...rest,
    http: {
      ...http,
      connections: http.connections ?? ('maxVUs' in executor ? executor.maxVUs : 'per-vu'),
      // A target host named in allowHosts may resolve to a metadata address; any other is refused at lookup (EMETADATA).
      ...(target !== undefined && allowListNames(data!.allowHosts, hostOf(target)) && { allowMetadata: true }),
      // Redirect hops may go only where the target may (redirects.ts).
      ...(data!.allowHosts !== undefined && { allowHosts: data!.allowHosts.filter((h): h is string => h !== undefined) }),
    },
  }, outputs);
}

/** Every check of the file itself; the values are complete only when no problem was recorded. */
function resolveParts(data: RawScenario, file: string, overrides: Overrides, options: ResolveOptions, problems: ProblemList) {
  const fileTarget = data.target === undefined ? undefined : targetAt(problems, jsonPath('target'), data.target);
  if (data.target === undefined && overrides.target === undefined && !options.targetLater) {
    problems.add(jsonPath('target'), 'required field is missing', 'set "target" in the file or pass --target');
  }
  const draft = resolveExecutor(data, problems);
  const thinkTime = thinkTimeAt(problems, ['thinkTime'], data.thinkTime, data.executor) ?? null;
  const gracefulStopMs = durationAt(problems, jsonPath('gracefulStop'), data.gracefulStop, 30_000) ?? 0;
  const http = resolveHttp(data, file, problems);
  const requests = resolveRequests(data, problems);
  const thresholds = checkThresholds(data, requests.map((r) => r.name), problems);
  checkCheckThresholds(problems, thresholds, requests);
  const rows = resolveData(problems, file, data.data);
  const columns = rows ? rows.columns : data.data?.file !== undefined ? 'unloaded' : null;
  const env = checkTemplates(data, options.env ?? {}, columns, problems);
  const phases = resolvePhases(data, problems);
  return { fileTarget, draft, thinkTime, gracefulStopMs, flow: data.flow ?? 'random', requests, http, thresholds, ...phases, ...(rows && { data: rows }), ...(Object.keys(env).length > 0 && { env }) };
}

/** `http.version: "2"` needs TLS: undici speaks h2 only after ALPN, never cleartext h2c. */
function checkVersion(problems: ProblemList, target: string, version: string | undefined): void {
  if (version === '2' && target.startsWith('http://')) {
    problems.add(jsonPath('http', 'version'), `"2" needs an https:// target, and the target is ${target} (cleartext HTTP/2, h2c, is not supported)`, 'use an https:// target, or "auto" or "1.1" for http://');
  }
}

/** http settings with defaults; connections stays undefined when not given (its default depends on the executor). */
function resolveHttp(data: RawScenario, file: string, problems: ProblemList): Omit<HttpSettings, 'connections'> & { connections?: HttpSettings['connections'] } {
  const http = data.http ?? {};
  checkHeaders(problems, (h) => jsonPath('http', 'headers', h), http.headers);
  let connections: HttpSettings['connections'] | undefined;
  if (typeof http.connections === 'string' && http.connections !== 'per-vu') {
    problems.add(jsonPath('http', 'connections'), `"${http.connections}" is not a connection setting`, 'write "per-vu" or a pool size such as 64');
  } else connections = http.connections as HttpSettings['connections'] | undefined;
  const tls = resolveTls(problems, file, http.tls);
  return {
    timeoutMs: durationAt(problems, jsonPath('http', 'timeout'), http.timeout, 60_000, true) ?? 0,
    connectTimeoutMs: durationAt(problems, jsonPath('http', 'connectTimeout'), http.connectTimeout, 10_000, true) ?? 0,
    headers: { ...http.headers },
    ...(connections !== undefined && { connections }),
    pipelining: http.pipelining ?? 1,
    ...(http.version !== undefined && http.version !== '1.1' && { version: http.version }),
    ...(http.maxConcurrentStreams !== undefined && { maxConcurrentStreams: http.maxConcurrentStreams }),
    ...(http.resendOnStaleConnection === false && { resendOnStaleConnection: false }),
    ...(http.cookies === false && { cookies: false }),
    ...(http.maxRedirects !== undefined && { maxRedirects: http.maxRedirects }),
    ...(tls !== undefined && { tls }),
  };
}
