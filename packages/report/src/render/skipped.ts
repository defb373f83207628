/**
 * The journey note every report format carries: requests that were not
 * sent because a value their templates need was missing (not in the
 * request counts, so the report says so), and the captures that found nothing.
 */
import type { Report } from '../types.js';

/**
 * "10 requests were not sent: a value their templates need was missing
 * (create: 5, read: 5). Captures that found nothing: login token 5." Null
 * when nothing was skipped or missed (or the report predates the counts).
 */
export function skippedLine(r: Pick<Report, 'totals' | 'endpoints'>): string | null {
  const skipped = r.totals.skipped ?? 0;
  const misses = r.endpoints.flatMap((e) => Object.entries(e.captureMisses ?? {}).map(([capture, n]) => `${e.name} ${capture} ${n}`));
  if (skipped === 0 && misses.length === 0) return null;
  const which = r.endpoints.filter((e) => (e.totals.skipped ?? 0) > 0).map((e) => `${e.name}: ${e.totals.skipped}`);
  const were = skipped === 1 ? '1 request was' : `${skipped} requests were`;
  const notSent = skipped === 0 ? '' : `${were} not sent: a value their templates need was missing (${which.join(', ')}).`;
  const missed = misses.length === 0 ? '' : `Captures that found nothing (CAPTURE_MISSING): ${misses.join(', ')}.`;
  return [notSent, missed].filter((s) => s !== '').join(' ');
}
