/**
 * Durations as users write them ("250ms", "10s", "5m", "1h", "1m30s") and back.
 * One parser for scenario files, CLI flags and threshold expressions, so every
 * place accepts the same spellings and names a bad one the same way.
 */

const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)/y;
/** Below this many ms a value is exact to the microsecond (its count of µs is a safe integer). */
const US_EXACT_BELOW = Number.MAX_SAFE_INTEGER / 1000;

/**
 * Parse a duration to milliseconds, to the microsecond (the resolution of
 * every measurement): "9us" and "0.009ms" give the same number, which
 * formatDuration prints back exactly. Returns null when the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  if (s === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  while (at < s.length) {
    PART.lastIndex = at;
    const m = PART.exec(s);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = PART.lastIndex;
  }
  const ms = total < US_EXACT_BELOW ? Math.round(total * 1000) / 1000 : total;
  return Number.isFinite(ms) ? ms : null;
}

/** The hint shown when a duration does not parse. */
export const DURATION_HINT = 'write a number with a unit: "250ms", "10s", "5m", "1h" or combined, "1m30s"';

/** Format milliseconds as the shortest exact duration text ("1m30s", "250ms"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (!Number.isInteger(ms)) return `${Math.round(ms * 1000)}us`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}
