/**
 * A file's `outputs` (Prometheus remote write for now): checked with the
 * rest of the file, every problem at its JSON path, and kept beside the
 * resolved scenario or run rather than in it, since the load engine (threads,
 * agents) never needs them: only the controller pushes.
 */
import { isLabelName } from '../commands/tags.js';
import { jsonPath, type ProblemList } from './problems.js';
import type { RawScenario } from './raw.js';
import { checkHeaders, durationAt } from './values.js';

/** Remote-write settings as a file gives them, with defaults filled in. */
export interface RemoteWriteSettings {
  url: string;
  intervalMs: number;
  headers: Record<string, string>;
  labels: Record<string, string>;
  nativeHistograms: boolean;
}

/** A file's live outputs; empty when it names none. */
export interface ResolvedOutputs {
  prometheusRW?: RemoteWriteSettings;
}

/** The default push interval, k6's too. */
export const DEFAULT_INTERVAL_MS = 5000;

const byItem = new WeakMap<object, ResolvedOutputs>();

/** Check `data.outputs`; the settings are complete only when no problem was recorded. */
export function resolveOutputs(data: RawScenario, problems: ProblemList): ResolvedOutputs {
  const rw = data.outputs?.prometheusRW;
  if (rw === undefined) return {};
  const at = (...s: string[]) => jsonPath('outputs', 'prometheusRW', ...s);
  if (rw.url !== undefined && !URL.canParse(rw.url)) problems.add(at('url'), `"${rw.url}" is not a URL`, 'write the whole write endpoint, e.g. http://127.0.0.1:9090/api/v1/write');
  const intervalMs = durationAt(problems, at('interval'), rw.interval, DEFAULT_INTERVAL_MS, true);
  if (intervalMs !== undefined && (intervalMs < 1000 || intervalMs % 1000 !== 0)) {
    problems.add(at('interval'), `must be whole seconds, at least 1s, not "${rw.interval}"`, 'figures are merged per second: write e.g. "1s" or "5s"');
  }
  checkHeaders(problems, (h) => at('headers', h), rw.headers);
  for (const name of Object.keys(rw.labels ?? {})) {
    if (!isLabelName(name)) problems.add(at('labels', name), `"${name}" cannot be a label name`, 'use letters, digits and "_", not starting with a digit or "__"');
  }
  return { prometheusRW: { url: rw.url ?? '', intervalMs: intervalMs ?? DEFAULT_INTERVAL_MS, headers: { ...rw.headers }, labels: { ...rw.labels }, nativeHistograms: rw.nativeHistograms === true } };
}

/** Keep `outputs` for a resolved scenario or run (made by resolve.ts and run-file.ts). */
export function keepOutputs<T extends object>(item: T, outputs: ResolvedOutputs): T {
  if (outputs.prometheusRW) byItem.set(item, outputs);
  return item;
}

/** The outputs the file of a resolved scenario or run named ({} when none). */
export function outputsOf(item: object): ResolvedOutputs {
  return byItem.get(item) ?? {};
}
