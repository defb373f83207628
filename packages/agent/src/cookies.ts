/**
 * A VU's cookie jar, as browsers and k6 keep one per user: tough-cookie's
 * synchronous API on its MemoryCookieStore, so the request loop stays free
 * of promises. tough-cookie (and its public-suffix list) costs ~20 ms of
 * CPU to load, so it is required only when the first Set-Cookie of a share
 * arrives, and a VU has a jar only once a response set a cookie: until
 * then a request pays one null check.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { CookieJar } from 'tough-cookie';

const require = createRequire(import.meta.url);
let toughCookie: typeof import('tough-cookie') | null = null;

/** A new empty jar (loads tough-cookie on first use). */
export function newJar(): CookieJar {
  toughCookie ??= require('tough-cookie') as typeof import('tough-cookie');
  return new toughCookie.CookieJar(new toughCookie.MemoryCookieStore());
}

/**
 * Whether raw header bytes spell `lower` (lower-case ASCII letters, digits
 * and '-') in any case, byte by byte: every response's header names pass
 * here, and most have no string made of them (Connection and Keep-Alive
 * are as long as Set-Cookie).
 */
export function isHeaderName(name: Buffer, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) if ((name[i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Whether a raw header name is Set-Cookie, in any case. */
export function isSetCookie(name: Buffer): boolean {
  return isHeaderName(name, 'set-cookie');
}

/** Store one Set-Cookie value received from `url`; a malformed or foreign-domain cookie is ignored, as browsers do. */
export function storeCookie(jar: CookieJar, value: Buffer, url: string): void {
  jar.setCookieSync(value.toString('latin1'), url, { ignoreError: true });
}

/**
 * `options` with the jar's cookies for `url` (domain, path, expiry, secure)
 * added to the Cookie header, after any the scenario sets itself; `options`
 * unchanged when the jar has none for it.
 */
export function withCookies(options: Dispatcher.DispatchOptions, jar: CookieJar, url: string): Dispatcher.DispatchOptions {
  const cookies = jar.getCookieStringSync(url);
  if (cookies === '') return options;
  const headers = options.headers as Record<string, string>;
  const own = headers.cookie;
  return { ...options, headers: { ...headers, cookie: own === undefined ? cookies : `${own}; ${cookies}` } };
}
