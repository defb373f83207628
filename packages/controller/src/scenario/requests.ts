/**
 * The request mix: defaults filled in (GET, weight 1, name "METHOD path"),
 * JSON bodies serialised once with their content-type, think times per
 * request, response checks (checks.ts), and the mistakes a schema cannot see — duplicate names, json
 * with body, relative paths.
 */
import type { ResolvedRequest } from '@novaload/agent';
import { resolveChecks } from './checks.js';
import { resolveCaptures } from './captures.js';
import { jsonPath, type ProblemList } from './problems.js';
import type { RawScenario } from './raw.js';
import { jsonHasTemplate } from './templates.js';
import { thinkTimeAt } from './think.js';
import { checkHeaders, hasHeader } from './values.js';

/**
 * Resolve `requests`. A request's own settings beat the scenario's: `json`
 * sends content-type: application/json over any http.headers content-type,
 * unless the request's own headers set one.
 */
export function resolveRequests(raw: RawScenario, problems: ProblemList): ResolvedRequest[] {
  const out: ResolvedRequest[] = [];
  const firstIndex = new Map<string, number>();
  (raw.requests ?? []).forEach((r, i) => {
    if (!r) return;
    const method = r.method ?? 'GET';
    const path = r.path ?? '/';
    if (!path.startsWith('/')) {
      problems.add(jsonPath('requests', i, 'path'), `must start with "/", not "${path}"`, `write "/${path}"; it is appended to the target`);
    }
    const name = r.name ?? `${method} ${path}`;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else if (r.name !== undefined || r.path !== undefined) problems.add(jsonPath('requests', i, ...(r.name === undefined ? [] : ['name'])), `duplicate request name "${name}" (also ${jsonPath('requests', first)})`, 'give each request its own "name"');
    if (r.json !== undefined && r.body !== undefined) {
      problems.add(jsonPath('requests', i, 'body'), 'both "json" and "body" are given', 'keep one: json is sent serialised, body as is');
    }
    checkHeaders(problems, (h) => jsonPath('requests', i, 'headers', h), r.headers);
    const headers = { ...r.headers };
    if (r.json !== undefined && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    const thinkTime = thinkTimeAt(problems, ['requests', i, 'thinkTime'], r.thinkTime, raw.executor);
    const checks = resolveChecks(problems, i, r.expect);
    const capture = resolveCaptures(r, i, problems);
    // A json body with templates is rendered per request (its strings keep their JSON types); any other is serialised once.
    const templated = r.json !== undefined && jsonHasTemplate(r.json);
    out.push({
      name,
      method,
      path,
      headers,
      body: templated ? null : r.json !== undefined ? JSON.stringify(r.json) : r.body ?? null,
      weight: r.weight ?? 1,
      expectStatus: r.expect?.status ?? null,
      ...(thinkTime !== undefined && { thinkTime }),
      ...(checks.length > 0 && { checks }),
      ...(templated && { json: r.json }),
      ...(capture !== undefined && { capture }),
    });
  });
  return out;
}
