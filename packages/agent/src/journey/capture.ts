/**
 * Captures: a value taken from a response into a VU slot, for its later
 * requests. A JSONPath is parsed once at load into jsonpath-plus's path
 * array and evaluated by one shared evaluator (json-path.ts), as checks
 * are; a regex is compiled once and gives its first group; header and
 * cookie read undici's raw headers.
 */
import { compileJsonPath } from './json-path.js';

/** A capture as the scenario writes it: exactly one source, and the name it is stored as. */
export type CaptureSpec = { as: string } & ({ json: string } | { header: string } | { regex: string } | { cookie: string });

/** What a capture reads of a response, gathered only for requests that need it. */
export interface StepResponse {
  status: number;
  /** undici's raw headers: name, value, name, value … */
  rawHeaders: readonly Buffer[] | null;
  body: string;
  /** The body parsed as JSON once for all json captures of a response; undefined when it is not JSON. */
  json(): unknown;
}

/** A compiled capture: the value it found, or undefined. */
export interface Capture {
  readonly name: string;
  readonly slot: number;
  readonly needsBody: boolean;
  readonly needsHeaders: boolean;
  take(res: StepResponse): unknown;
}

/** Value of the first header named `lower` (lower case), as latin1 text like Node's own parser. */
export function headerValue(raw: readonly Buffer[] | null, lower: string): string | undefined {
  if (raw === null) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toString('latin1').toLowerCase() === lower) return raw[i + 1].toString('latin1');
  return undefined;
}

/** The value of cookie `name` from the response's Set-Cookie headers (the last one that sets it). */
export function setCookieValue(raw: readonly Buffer[] | null, name: string): string | undefined {
  if (raw === null) return undefined;
  let found: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].toString('latin1').toLowerCase() !== 'set-cookie') continue;
    const pair = raw[i + 1].toString('latin1').split(';', 1)[0];
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) found = pair.slice(eq + 1).trim();
  }
  return found;
}

/** The number of groups a regex source has (0 when it does not compile: the controller reports that). */
export function regexGroups(source: string): number {
  try {
    return (new RegExp(`${source}|`).exec('')?.length ?? 1) - 1;
  } catch {
    return 0;
  }
}

/** Compile one capture into `slot`. */
export function compileCapture(spec: CaptureSpec, slot: number): Capture {
  const base = { name: spec.as, slot };
  if ('json' in spec) {
    const select = compileJsonPath(spec.json);
    return {
      ...base,
      needsBody: true,
      needsHeaders: false,
      take: (res) => {
        const doc = res.json();
        if (doc === null || typeof doc !== 'object') return undefined;
        const found = select(doc);
        return found.length > 0 ? found[0] : undefined;
      },
    };
  }
  if ('regex' in spec) {
    const re = new RegExp(spec.regex);
    return { ...base, needsBody: true, needsHeaders: false, take: (res) => re.exec(res.body)?.[1] };
  }
  if ('header' in spec) {
    const lower = spec.header.toLowerCase();
    return { ...base, needsBody: false, needsHeaders: true, take: (res) => headerValue(res.rawHeaders, lower) };
  }
  const cookie = spec.cookie;
  return { ...base, needsBody: false, needsHeaders: true, take: (res) => setCookieValue(res.rawHeaders, cookie) };
}
