/**
 * `node bench/dist/data-load.js [ROWS]`: what a large data file costs
 * before the first request (issue 12: a 1,000,000-row, 3-column CSV loads
 * in a few seconds). It times, on this machine and as users run it:
 * - `novaload validate`: read + csv-parse + checks;
 * - `novaload run --threads 2` from exec to the target's first request,
 *   with the file (random rows: each thread is sent half of them) and
 *   without it; the difference is loading + validation + the split +
 *   the transfer to 2 threads;
 * - the peak RSS of both runs (GNU time, when installed).
 * Not part of `pnpm bench` (it measures novaload alone, against no peer).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runMeasured } from './lib/proc.js';
import { repoRoot } from './lib/tools.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const bin = join(repoRoot, 'packages/controller/bin/novaload.js');
const dir = mkdtempSync(join(tmpdir(), 'novaload-data-bench-'));

/** user,password,id rows like a login journey's test accounts. */
function writeCsv(file: string): number {
  const lines = ['user,password,id'];
  for (let r = 0; r < rows; r++) lines.push(`user${r}@example.test,pw-${(r * 7919) % 100_003},${r}`);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, text);
  return text.length;
}

/** A scenario of 2 VUs for 1 s against `url`, reading the CSV (random rows) or not. */
function writeScenario(name: string, url: string, withData: boolean): string {
  const file = join(dir, `${name}.json`);
  const data = withData ? { data: { file: 'users.csv', mode: 'random' } } : {};
  writeFileSync(file, JSON.stringify({ name, target: url, executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '1s', requests: [{ path: '/' }], ...data }));
  return file;
}

async function main(): Promise<void> {
  let firstAt = NaN;
  const server = createServer((_req, res) => {
    if (Number.isNaN(firstAt)) firstAt = performance.now();
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bytes = writeCsv(join(dir, 'users.csv'));
  const opts = { cores: null, timeoutMs: 120_000, cwd: repoRoot };
  try {
    const validate = await runMeasured(process.execPath, [bin, 'validate', writeScenario('with-data', url, true)], opts);
    if (validate.code !== 0) throw new Error(`validate failed: ${validate.stderr}`);
    const firstRequest = async (withData: boolean) => {
      firstAt = NaN;
      const t0 = performance.now();
      const m = await runMeasured(process.execPath, [bin, 'run', writeScenario(withData ? 'with-data' : 'without', url, withData), '--threads', '2', '--quiet', '--out', join(dir, 'r.json')], opts);
      if (m.code !== 0) throw new Error(`run failed (${m.code}): ${m.stderr}`);
      return { ms: firstAt - t0, peakMb: m.peakRssKb / 1024, cpuMs: m.cpuMs };
    };
    const without = await firstRequest(false);
    const withData = await firstRequest(true);
    const out = [
      `data file: ${rows} rows × 3 columns, ${(bytes / 2 ** 20).toFixed(1)} MiB; load average ${loadavg()[0].toFixed(2)} on ${process.version}`,
      '',
      '| step | time | CPU (whole command) | peak RSS |',
      '|---|---:|---:|---:|',
      `| novaload validate (read + csv-parse + checks) | ${(validate.wallMs / 1000).toFixed(2)} s | ${(validate.cpuMs / 1000).toFixed(2)} s | ${(validate.peakRssKb / 1024).toFixed(0)} MB |`,
      `| run --threads 2, exec → first request, no data file | ${(without.ms / 1000).toFixed(2)} s | ${(without.cpuMs / 1000).toFixed(2)} s | ${without.peakMb.toFixed(0)} MB |`,
      `| run --threads 2, exec → first request, with the file | ${(withData.ms / 1000).toFixed(2)} s | ${(withData.cpuMs / 1000).toFixed(2)} s | ${withData.peakMb.toFixed(0)} MB |`,
      `| the file's cost (load + validation + split + transfer to 2 threads) | ${((withData.ms - without.ms) / 1000).toFixed(2)} s | ${((withData.cpuMs - without.cpuMs) / 1000).toFixed(2)} s | |`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
