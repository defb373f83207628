/**
 * The request phases (dns … receive) as every report format shows them,
 * built once here so text, markdown, HTML, CSV and JUnit agree: one row per
 * phase overall and per request (p50, p95, p99, mean share), a headline of
 * where most of the time went, and the connections opened.
 */
import { PHASE_MEANING, PHASES, type Phase, type PhasesReport } from '../timing.js';
import type { Report } from '../types.js';
import { formatMs } from './format.js';

/** The name of the rows that cover every request (as the CSV summary's). */
export const ALL_REQUESTS = '(all)';

/** Whose phases: every request, then each request name that had a timed response. */
export function timingScopes(report: Report): { scope: string; phases: PhasesReport }[] {
  if (report.phases === undefined) return [];
  return [{ scope: ALL_REQUESTS, phases: report.phases }, ...report.endpoints.flatMap((e) => (e.phases ? [{ scope: e.name, phases: e.phases }] : []))];
}

/** A share as reports print it: `72.1%`. */
export const formatShare = (share: number): string => `${share.toFixed(1)}%`;

/** [request, phase, p50, p95, p99, mean share] for each scope and phase, formatted. */
export function timingRows(report: Report): [string, Phase, string, string, string, string][] {
  return timingScopes(report).flatMap(({ scope, phases }) =>
    PHASES.map((p): [string, Phase, string, string, string, string] => [scope, p, formatMs(phases[p].p50), formatMs(phases[p].p95), formatMs(phases[p].p99), formatShare(phases[p].share)]),
  );
}

/**
 * Where the time went, largest share first, phases of at least 1% only:
 * "72.0% waiting for the server, 25.1% receiving the body". Null without phases.
 */
export function timingHeadline(phases: PhasesReport | undefined): string | null {
  if (phases === undefined) return null;
  const parts = [...PHASES]
    .filter((p) => phases[p].share >= 1)
    .sort((a, b) => phases[b].share - phases[a].share)
    .map((p) => `${formatShare(phases[p].share)} ${PHASE_MEANING[p]}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** "Connections opened: 3 for 219 requests (keep-alive reused them)", or the churn when nearly every request opened one. */
export function connectionsLine(report: Report): string {
  const { connectionsOpened: opened = 0, requests } = report.totals;
  const churn = requests > 0 && opened >= requests * 0.5 ? ': most requests opened a connection (the server closes them, or keep-alive is off)' : '';
  return `Connections opened: ${opened} for ${requests} requests${churn}`;
}
