/**
 * Memory of many VUs with think time (novaload only: the peers have no
 * think time, so they cannot hold 10,000 mostly idle users): a ramping-vus
 * scenario against the fast target, peak RSS, and RSS after 10 s of load
 * against RSS near the end of the same run (growth would mean a leak).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured } from './proc.js';
import { repoRoot } from './tools.js';

/** What one memory run showed. */
export interface MemoryFigures {
  vus: number;
  durationS: number;
  requests: number;
  peakMb: number;
  rss10sMb: number;
  rssLateMb: number;
}

/** About how long novaload takes from exec to its first request (ms), so RSS samples land in the load. */
const START_MS = 1500;

/** Run `vus` VUs (ramped up over 5 s, think time 1–3 s) for `durationS` on one pinned core. */
export async function memoryRun(url: string, vus: number, durationS: number): Promise<MemoryFigures> {
  const file = join(tmpdir(), `novaload-bench-memory-${process.pid}-${vus}.json`);
  const out = `${file}.out.json`;
  const scenario = {
    name: `bench-memory-${vus}`,
    target: url.replace(/\/$/, ''),
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [{ duration: '5s', target: vus }, { duration: `${durationS - 5}s`, target: vus }],
    thinkTime: { min: '1s', max: '3s' },
    gracefulStop: '5s',
    requests: [{ name: 'get', method: 'GET', path: '/' }],
  };
  writeFileSync(file, JSON.stringify(scenario));
  try {
    const late = START_MS + durationS * 1000 - 1000;
    const m = await runMeasured(process.execPath, [join(repoRoot, 'packages/controller/bin/novaload.js'), 'run', file, '--threads', '1', '--quiet', '--out', out], {
      cores: '1',
      timeoutMs: durationS * 1000 + 60_000,
      rssAtMs: [START_MS + 10_000, late],
      cwd: repoRoot,
    });
    let requests = 0;
    try {
      requests = (JSON.parse(readFileSync(out, 'utf8')) as { totals: { requests: number } }).totals.requests;
    } catch {
      requests = 0;
    }
    return { vus, durationS, requests, peakMb: m.peakRssKb / 1024, rss10sMb: m.rssKb[0] / 1024, rssLateMb: m.rssKb[1] / 1024 };
  } finally {
    rmSync(file, { force: true });
    rmSync(out, { force: true });
  }
}
