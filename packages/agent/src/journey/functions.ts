/**
 * The functions a template may call. Random ones draw from the VU's seeded
 * stream, so a run's values follow its seed like its request mix does.
 */
import { randomUUID } from 'node:crypto';
import type { VuState } from './state.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A function of evaluated arguments; undefined when an argument is not a number it can use. */
export type TemplateFunction = (s: VuState, args: unknown[]) => unknown;

/** An integer argument, or NaN. */
function int(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : NaN;
}

/** By name; names.ts checks calls against ast.ts FUNCTIONS (name and argument count). */
export const TEMPLATE_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  /** A random (v4) UUID, like k6's uuidv4(). */
  uuid: () => randomUUID(),
  /** An integer in [a, b], both included, like k6's randomIntBetween(a, b). */
  randomInt: (s, [a, b]) => {
    const lo = int(a);
    const hi = int(b);
    if (Number.isNaN(lo) || Number.isNaN(hi) || hi < lo) return undefined;
    return lo + Math.floor(s.rng.next() * (hi - lo + 1));
  },
  /** n letters and digits, like k6's randomString(n). */
  randomString: (s, [n]) => {
    const len = int(n);
    if (Number.isNaN(len) || len < 0 || len > 65_536) return undefined;
    let out = '';
    for (let i = 0; i < len; i++) out += ALPHABET[Math.floor(s.rng.next() * ALPHABET.length)];
    return out;
  },
  /** Milliseconds since the epoch, now. */
  timestamp: () => Date.now(),
};
