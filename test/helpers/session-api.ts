/**
 * A loopback test API for cookie and redirect journeys, on the counting
 * server of servers.ts (so every hop is in `seen`):
 * - `POST /login` sets a new `session` cookie (s1, s2, … in the order of
 *   logins) and a `csrftoken` cookie, both Path=/;
 * - `GET /me` answers 200 with both cookies, else 401;
 * - `GET /r/N` redirects (302, relative Location) to /r/N-1 after `hopDelayMs`, /r/0 is 200;
 * - `GET /loop` redirects to itself; `/to?url=U` redirects (302) to the absolute URL U;
 * - `POST /see-other`, `/temporary`, `/found` answer 303, 307, 302 to /landing?from=STATUS (200);
 * - `GET /mark` sets cookie `mark=1` and redirects to /marked, which is 200 with it, else 401.
 */
import type { Behaviour, Seen, TestServer } from './servers.js';
import { requestUrl, startServer } from './servers.js';

/** The API and what it issued. */
export interface JourneyApi extends TestServer {
  /** Session ids in the order they were issued, with the connection (remote port) of the login that got each. */
  sessions: { id: string; remotePort: number }[];
}

/** The value of cookie `name` in a request, or undefined. */
export function cookieOf(seen: Seen, name: string): string | undefined {
  const header = seen.headers.cookie ?? '';
  for (const part of header.split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return undefined;
}

/** Start the API on 127.0.0.1:0; each redirect of /r/N waits `hopDelayMs` before answering. */
export async function startJourneyApi(hopDelayMs = 0): Promise<JourneyApi> {
  const sessions: JourneyApi['sessions'] = [];
  const redirect = (location: string, status = 302, delayMs = 0): Behaviour => ({ status, delayMs, headers: { location }, body: '' });
  const behave = (req: Seen): Behaviour => {
    const url = requestUrl(req.url);
    const chain = /^\/r\/(\d+)$/.exec(url.pathname);
    if (chain) return chain[1] === '0' ? { body: 'end' } : redirect(`/r/${Number(chain[1]) - 1}`, 302, hopDelayMs);
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /login': {
        const id = `s${sessions.length + 1}`;
        sessions.push({ id, remotePort: req.remotePort });
        return { headers: { 'set-cookie': [`session=${id}; Path=/; HttpOnly`, `csrftoken=t-${id}; Path=/`] }, body: 'welcome' };
      }
      case 'GET /me':
        return cookieOf(req, 'session') && cookieOf(req, 'csrftoken') ? { body: 'me' } : { status: 401 };
      case 'GET /loop':
        return redirect('/loop');
      case 'GET /to':
        return redirect(url.searchParams.get('url') ?? '/');
      case 'POST /see-other':
        return redirect('/landing?from=303', 303);
      case 'POST /temporary':
        return redirect('/landing?from=307', 307);
      case 'POST /found':
        return redirect('/landing?from=302', 302);
      case 'GET /mark':
        return { status: 302, headers: { location: '/marked', 'set-cookie': 'mark=1; Path=/' }, body: '' };
      case 'GET /marked':
        return cookieOf(req, 'mark') === '1' ? { body: 'marked' } : { status: 401 };
      default:
        return { body: 'landing' };
    }
  };
  const server = await startServer(behave);
  return Object.assign(server, { sessions });
}
