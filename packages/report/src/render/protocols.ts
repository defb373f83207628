/**
 * The protocol line every report format carries next to the totals: how
 * many requests HTTP/1.1 and HTTP/2 answered, so a run meant to test h2
 * shows at a glance whether the server agreed to it.
 */
import type { Report } from '../types.js';

/**
 * "Protocols: HTTP/1.1 0, HTTP/2 1200 (3 without a response)". Null for a
 * report older than the count.
 */
export function protocolsLine(r: Pick<Report, 'totals'>): string | null {
  const p = r.totals.protocols;
  if (p === undefined) return null;
  const none = r.totals.requests - p.h1 - p.h2;
  return `Protocols: HTTP/1.1 ${p.h1}, HTTP/2 ${p.h2}${none > 0 ? ` (${none} without a response)` : ''}`;
}
