/**
 * The resend note every report format carries: requests sent a second time
 * because the server closed a kept-alive connection as they were written
 * are not errors, but the server saw them twice, so a report that kept
 * quiet about them would disagree with the server's own request count.
 */
import type { Report } from '../types.js';

/**
 * "149 requests were sent again after the server closed a kept-alive
 * connection …", naming the requests when more than one had resends; null
 * when nothing was resent (or the report predates the count).
 */
export function resentLine(r: Pick<Report, 'totals' | 'endpoints'>): string | null {
  const resent = r.totals.resent ?? 0;
  if (resent === 0) return null;
  const which = r.endpoints.filter((e) => (e.totals.resent ?? 0) > 0);
  const split = which.length > 1 ? ` (${which.map((e) => `${e.name}: ${e.totals.resent}`).join(', ')})` : '';
  const was = resent === 1 ? '1 request was' : `${resent} requests were`;
  return (
    `${was} sent again after the server closed a kept-alive connection${split}; ` +
    `the server received ${r.totals.requests + resent} requests in all. ` +
    'They are not errors; http.resendOnStaleConnection: false counts them as ECONNRESET instead.'
  );
}
