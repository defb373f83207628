/**
 * Checks of single values whose rules JSON Schema cannot explain well:
 * durations, the target URL, header names and values. Each records a
 * problem with a hint and returns the parsed value, so the resolver parses once.
 */
import { DURATION_HINT, parseDuration } from '@novaload/report';
import type { ProblemList } from './problems.js';

/**
 * Parse the duration at `path`: `fallback` when absent; undefined, with a
 * problem recorded, when it does not parse or, with `positive`, is zero.
 */
export function durationAt(problems: ProblemList, path: string, text: string | undefined, fallback: number | undefined, positive = false): number | undefined {
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === null) {
    problems.add(path, `"${text}" is not a duration`, DURATION_HINT);
    return undefined;
  }
  if (positive && ms <= 0) {
    problems.add(path, `must be longer than 0, not "${text}"`, DURATION_HINT);
    return undefined;
  }
  return ms;
}

/**
 * Check a target URL and return it normalised: origin plus base path, no
 * trailing slash (request paths start with '/'). Undefined when invalid.
 */
export function targetAt(problems: ProblemList, path: string, text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.add(path, `"${text}" is not an absolute URL`, 'write it with the scheme, e.g. "http://127.0.0.1:3000"');
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.add(path, `"${text}" is not an http or https URL`, 'novaload sends HTTP/1.1; write "http://…" or "https://…"');
  } else if (url.search !== '' || url.hash !== '') {
    problems.add(path, `"${text}" has a query or fragment`, "put the query in each request's path");
  } else if (url.username !== '' || url.password !== '') {
    problems.add(path, `"${text}" has credentials in it`, 'send them as an authorization header in http.headers');
  } else {
    return url.origin + url.pathname.replace(/\/+$/, '');
  }
  return undefined;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Check header names (HTTP tokens) and values (no line breaks) of one headers object at `path`. */
export function checkHeaders(problems: ProblemList, path: (name: string) => string, headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!TOKEN.test(name)) problems.add(path(name), `"${name}" is not a valid header name`, 'use letters, digits and - only, e.g. "x-request-id"');
    else if (typeof value === 'string' && /[\r\n\0]/.test(value)) problems.add(path(name), 'header value contains a line break or NUL');
  }
}

/** Whether a headers object sets `name`, ignoring case (HTTP header names are case-insensitive). */
export function hasHeader(headers: Record<string, string> | undefined, name: string): boolean {
  return Object.keys(headers ?? {}).some((h) => h.toLowerCase() === name);
}
