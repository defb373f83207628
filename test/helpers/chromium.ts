/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, with
 * `ws`), for pages that change while a test watches: open a URL, evaluate
 * expressions in it, take screenshots. The browser has a throwaway profile
 * and is killed with its children on close or after `timeoutMs`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';

export const CHROMIUM = '/usr/bin/chromium';
/** False when Chromium is there, else why the browser tests skip. */
export const NO_CHROMIUM = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`;

export interface BrowserPage {
  /** The value of `expression` in the page (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>;
  /** Poll `expression` until it is truthy (every 100 ms, at most `timeoutMs`), then give its value. */
  waitFor<T>(expression: string, timeoutMs: number): Promise<T>;
  /** A PNG of the page at its viewport size. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** Start Chromium on `url` (profile under `dir`), with a `width`×`height` window. */
export async function openPage(dir: string, url: string, width = 1400, height = 1250, timeoutMs = 60_000): Promise<BrowserPage> {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars'];
  const child = spawn(CHROMIUM, [...flags, `--user-data-dir=${join(dir, `profile-${Date.now()}`)}`, '--remote-debugging-port=0', `--window-size=${width},${height}`, 'about:blank'], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const kill = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const killer = setTimeout(kill, timeoutMs);
  killer.unref();
  const endpoint = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`chromium exited ${code} before listening\n${err}`)));
  });
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let next = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  socket.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as { id?: number; result?: unknown; error?: { message: string } };
    const w = m.id === undefined ? undefined : waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id!);
    if (m.error) w.reject(new Error(m.error.message));
    else w.resolve(m.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
    });
  const { targetId } = await send('Target.createTarget', { url });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  };
  return {
    evaluate,
    async waitFor<T>(expression: string, ms: number): Promise<T> {
      const until = Date.now() + ms;
      for (;;) {
        const v = await evaluate<T>(expression).catch(() => undefined);
        if (v) return v;
        if (Date.now() > until) throw new Error(`the page never had ${expression} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async screenshot(): Promise<Buffer> {
      const { data } = await send('Page.captureScreenshot', { format: 'png' }, sessionId);
      return Buffer.from(data as string, 'base64');
    },
    async close(): Promise<void> {
      clearTimeout(killer);
      socket.close();
      kill();
    },
  };
}
