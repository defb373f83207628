/**
 * `pnpm bench [-- --quick | --rounds N --duration S | --only id,id | --baseline-dir DIR]`:
 * novaload side by side with autocannon, wrk and wrk2 (issue 5), and the
 * controller merging 200 shares × 50 names (`--only controller-scale`; the
 * full grid and the 10-minute run are `pnpm bench:controller`). Targets
 * run on loopback pinned to core 0, generators pinned to core 1; each
 * measurement runs every tool in turn, the order alternating between
 * rounds (A B A B), and the table shows medians over the rounds, their
 * spread and novaload ÷ peer ratios taken within each round. Writes the
 * table as markdown and JSON under bench/results/ and names the machine.
 * --baseline-dir DIR runs another build's novaload (e.g. the commit before
 * a change, built there) as a peer in the rows that compare builds.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, release } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureFloors, type Floors } from './lib/floors.js';
import { memoryRun, type MemoryFigures } from './lib/memory.js';
import { measure as measureControllerScale } from './lib/controller-scale.js';
import { CONTROLLER_SCALE, MEASUREMENTS, METRICS, type Metric, type Settings, type TargetKind } from './lib/plan.js';
import { host, measuringMethod } from './lib/proc.js';
import { markdownTable, toRow, type Row, type RowInput } from './lib/report.js';
import { median } from './lib/stats.js';
import { findNginx, hasOpenssl, startNginx, startNodeTarget, type Target } from './lib/targets.js';
import { baselineTool, findTools, repoRoot, type Tool } from './lib/tools.js';

// pnpm 10 passes a literal `--` through to the script: `pnpm bench -- --quick` and `pnpm bench --quick` both work.
const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const { values: flags } = parseArgs({
  args: argv,
  options: { quick: { type: 'boolean' }, rounds: { type: 'string' }, duration: { type: 'string' }, only: { type: 'string' }, 'no-memory': { type: 'boolean' }, 'baseline-dir': { type: 'string' } },
});
const quick = flags.quick === true;
const settings: Settings = {
  quick,
  rounds: Number(flags.rounds ?? (quick ? 1 : 3)),
  durationS: Number(flags.duration ?? (quick ? 4 : 10)),
  stallAfterMs: 0,
  memory: quick ? { smallVus: 1000, smallS: 8, bigVus: 10000, bigS: 13 } : { smallVus: 1000, smallS: 15, bigVus: 10000, bigS: 60 },
};
settings.stallAfterMs = Math.max(1000, Math.round((settings.durationS * 1000) / 3));
const only = flags.only ? new Set(flags.only.split(',')) : null;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function machine(): Record<string, string | number> {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown cpu';
  return { cpu, cores: availableParallelism(), node: process.version, kernel: release(), loadavgAtStart: loadavg()[0].toFixed(2) };
}

/** Values per (measurement, metric, tool), one slot per round. */
const values = new Map<string, number[]>();
const references = new Map<string, number[]>();
const saturated = new Set<string>();
const put = (map: Map<string, number[]>, key: string, round: number, v: number): void => {
  const list = map.get(key) ?? Array.from({ length: settings.rounds }, () => NaN);
  list[round] = v;
  map.set(key, list);
};

async function main(): Promise<void> {
  const info = machine();
  const tools = [...findTools(), ...(flags['baseline-dir'] ? [baselineTool(resolve(flags['baseline-dir']))] : [])];
  const ready = tools.filter((t) => t.missing === null);
  const notes: string[] = [measuringMethod(), host.taskset ? 'generators pinned to core 1 (taskset -c 1), targets to core 0' : 'taskset not found: nothing pinned, figures are per machine, not per core'];
  for (const t of tools) if (t.missing) notes.push(`${t.name} skipped: ${t.missing}`);
  notes.push('autocannon prints no p95: its p97.5 is shown in the p95 rows; wrk and wrk2 print no p95 (–)');
  notes.push('wrk has no fixed-rate mode and wrk2 no closed loop; autocannon has no one-request-per-VU think time, so memory is novaload only');
  notes.push('machine floors (bench/floor/machine.ts, in the server / truth column): the CPU of one idle wake-up is paid per arrival window by any smooth fixed-rate generator before it sends anything; the idle round trip is the part of a request (the server waking on it, the client on its answer) that the server\'s own timing cannot see, so no client\'s p50 comes closer to the server\'s than about that');
  notes.push('undici: bare undici with a counting handler (bench/floor/undici-floor.ts; fixed rate in 2 ms batches), the floor under any undici-based generator; novaload ÷ undici is novaload\'s own cost');
  if (flags['baseline-dir']) notes.push(`baseline: novaload built in ${resolve(flags['baseline-dir'])}, run in the static row beside this build (same scenario, same round, order alternating)`);
  const nginx = findNginx();
  if (!nginx) notes.push('nginx not installed: the fast target is the built-in Node server (apt-get install nginx for the issue\'s setup)');
  const tls = nginx !== null && hasOpenssl();
  if (!tls) notes.push('HTTPS rows skipped: they need nginx and openssl (apt-get install nginx openssl)');
  for (const n of notes) log(`note: ${n}`);

  const wanted = (kind: TargetKind): boolean => !only || MEASUREMENTS.some((m) => m.target === kind && only.has(m.id));
  const targets: Partial<Record<TargetKind, Target>> = {
    fast: nginx ? await startNginx(nginx) : await startNodeTarget('fast'),
    json: await startNodeTarget('json'),
    delay: await startNodeTarget('delay', 10),
    stall: await startNodeTarget('stall', settings.stallAfterMs),
    ...(tls && wanted('tls') && { tls: await startNginx(nginx, 'h2') }),
    ...(tls && wanted('tls-h1') && { 'tls-h1': await startNginx(nginx, 'h1') }),
  };
  const memory: MemoryFigures[] = [];
  const floors: Floors[] = [];
  try {
    for (let round = 0; round < settings.rounds; round++) {
      const order = (list: Tool[]): Tool[] => (round % 2 === 0 ? list : [...list].reverse());
      if (!only || only.has('floors')) {
        const f = await measureFloors();
        floors.push(f);
        log(`round ${round + 1} machine floors: ${f.wakeUs.toFixed(1)} µs CPU per idle wake-up, ${f.rttP50Ms.toFixed(3)} ms round trip p50`);
      }
      const startCpu: Partial<Record<Tool['name'], number>> = {};
      for (const tool of order(ready.filter((t) => t.once))) {
        const m = await tool.once!(targets.fast!.url);
        startCpu[tool.name] = m.cpuMs;
        put(values, `startup|startCpuMs|${tool.name}`, round, m.cpuMs);
        put(values, `startup|startWallMs|${tool.name}`, round, m.wallMs);
        log(`round ${round + 1} startup ${tool.name}: cpu ${m.cpuMs.toFixed(0)} ms, wall ${m.wallMs.toFixed(0)} ms`);
      }
      for (const meas of MEASUREMENTS) {
        if (only && !only.has(meas.id)) continue;
        const target = targets[meas.target];
        if (target === undefined) continue;
        for (const tool of order(ready.filter((t) => meas.uses(t) && (!t.cpuOnly || meas.metrics.includes('cpuUs'))))) {
          await target.stats(); // reset the server's own figures
          const r = await tool.run(meas.load(target.url, settings, target.caFile));
          const stats = await target.stats();
          const figures = meas.read(r, stats, settings, startCpu[tool.name] ?? 0);
          for (const metric of meas.metrics) {
            put(values, `${meas.id}|${metric}|${tool.name}`, round, figures[metric] ?? NaN);
            if (meas.reference) put(references, `${meas.id}|${metric}`, round * 8 + ready.indexOf(tool), meas.reference(metric, stats, settings));
          }
          if (tool.name === 'novaload' && r.saturated) saturated.add(meas.id);
          log(`round ${round + 1} ${meas.id} ${tool.name}: ${r.requests} req, ${r.rps.toFixed(0)}/s, cpu ${r.cpuMs.toFixed(0)} ms, p50 ${r.p50} ms, p99 ${r.p99} ms${r.saturated ? ' (saturated)' : ''}${r.code ? ` exit ${r.code}` : ''}`);
        }
      }
    }
    if (!only || only.has(CONTROLLER_SCALE.id)) {
      for (let round = 0; round < settings.rounds; round++) await controllerScale(round);
    }
    if (!flags['no-memory'] && (!only || only.has('memory'))) {
      for (const [vus, s] of [[settings.memory.smallVus, settings.memory.smallS], [settings.memory.bigVus, settings.memory.bigS]]) {
        const m = await memoryRun(targets.fast!.url, vus, s);
        memory.push(m);
        log(`memory ${vus} VUs ${s} s: ${m.requests} req, peak ${m.peakMb.toFixed(0)} MB, at 10 s ${m.rss10sMb.toFixed(0)} MB, late ${m.rssLateMb.toFixed(0)} MB`);
      }
    }
  } finally {
    for (const t of Object.values(targets)) await t!.stop();
  }
  info.loadavgAtEnd = loadavg()[0].toFixed(2);
  report(info, notes, ready.map((t) => t.name), memory, floors);
}

/** One round of the controller-scale row; a run that fails or miscounts leaves the round empty (NaN), and says why. */
async function controllerScale(round: number): Promise<void> {
  const { id, shares, names, rps } = CONTROLLER_SCALE;
  try {
    const f = await measureControllerScale({ shares, names, rps, seconds: CONTROLLER_SCALE.seconds(settings), speed: 1 });
    if (f.requestsReported !== f.requestsSent) throw new Error(`the report counts ${f.requestsReported} requests, ${f.requestsSent} were sent`);
    put(values, `${id}|ctlCpuPct|novaload`, round, f.cpuMsPerSecond / 10);
    put(values, `${id}|ctlLagMs|novaload`, round, f.lagP50Ms);
    put(values, `${id}|ctlRssMb|novaload`, round, f.rssMb);
    log(`round ${round + 1} ${id}: ${(f.cpuMsPerSecond / 10).toFixed(1)}% of one core, lag p50 ${f.lagP50Ms.toFixed(0)} ms (max ${f.lagMaxMs.toFixed(0)}), RSS ${f.rssMb.toFixed(0)} MB`);
  } catch (err) {
    log(`round ${round + 1} ${id} failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The journey's CPU per request over another row's (`static`, `literal`), the median of the ratios of each round; null when either did not run. */
function journeyCost(over: 'static' | 'literal'): number | null {
  const journey = values.get('journey|netCpuUs|novaload');
  const plain = values.get(`${over}|netCpuUs|novaload`);
  if (!journey || !plain) return null;
  const r = median(journey.map((j, i) => j / plain[i]!));
  return Number.isFinite(r) ? r : null;
}

function report(info: Record<string, string | number>, notes: string[], present: Tool['name'][], memory: MemoryFigures[], floors: Floors[]): void {
  const titles: Record<string, string> = { startup: 'start-up: one request, 1 core' };
  const rows: Row[] = [];
  const inputs: RowInput[] = [];
  if (floors.length > 0) {
    // The machine's floors (lib/floors.ts) sit in the reference column: no tool can go below them here.
    const floorRow = (id: string, metric: Metric, v: number[]): Row => ({ measurement: id, metric, label: METRICS[metric].label, medians: {}, spreads: {}, reference: median(v), ratios: {}, target: null, met: null });
    titles['floor-wake'] = 'machine floor: an idle Node process woken 500×/s by a timer, core 1';
    titles['floor-rtt'] = 'machine floor: 1-byte round trip between two idle Node processes, cores 1 ↔ 0';
    rows.push(floorRow('floor-wake', 'wakeUs', floors.map((f) => f.wakeUs)), floorRow('floor-rtt', 'rttP50', floors.map((f) => f.rttP50Ms)));
  }
  const gather = (id: string, metric: Metric, check?: RowInput['check']): void => {
    const v: RowInput['values'] = {};
    for (const t of present) if (values.has(`${id}|${metric}|${t}`)) v[t] = values.get(`${id}|${metric}|${t}`);
    if (Object.keys(v).length) inputs.push({ measurement: id, metric, values: v, reference: references.get(`${id}|${metric}`) ?? [], saturated: saturated.has(id), check });
  };
  gather('startup', 'startCpuMs');
  gather('startup', 'startWallMs');
  for (const m of MEASUREMENTS) {
    titles[m.id] = m.title;
    for (const metric of m.metrics) gather(m.id, metric, m.checks?.[metric]);
  }
  titles[CONTROLLER_SCALE.id] = CONTROLLER_SCALE.title(settings);
  for (const metric of CONTROLLER_SCALE.metrics) gather(CONTROLLER_SCALE.id, metric, CONTROLLER_SCALE.checks[metric]);
  for (const input of inputs) rows.push(toRow(input));
  // The goal (≤ 1.3×) is judged against the same requests sent literally: what templates, captures and checks
  // cost. Against the static GET the ratio also holds the POST body undici writes (a second write per request).
  const literal = journeyCost('literal');
  if (literal !== null) {
    titles['journey-cost'] = "journey ÷ the same requests literal: CPU µs/req net of start-up, same round (what templates, captures and checks cost)";
    rows.push({ measurement: 'journey-cost', metric: 'netCpuUs', label: 'journey ÷ literal', medians: { novaload: literal }, spreads: {}, reference: null, ratios: {}, target: '≤ 1.3 (goal)', met: literal <= 1.3 });
  }
  const overGet = journeyCost('static');
  if (overGet !== null) {
    titles['journey-get'] = 'journey ÷ static GET: CPU µs/req net of start-up, same round (a POST body included)';
    rows.push({ measurement: 'journey-get', metric: 'netCpuUs', label: 'journey ÷ static GET', medians: { novaload: overGet }, spreads: {}, reference: null, ratios: {}, target: null, met: null });
  }
  for (const m of memory) {
    const id = `memory-${m.vus}`;
    titles[id] = `memory: ${m.vus.toLocaleString('en-US')} VUs, think time 1–3 s, ${m.durationS} s, 1 core`;
    rows.push({ measurement: id, metric: 'peakMb', label: 'peak RSS MB', medians: { novaload: m.peakMb }, spreads: {}, reference: null, ratios: {}, target: m.vus >= 10000 ? '≤ 300 MB' : null, met: m.vus >= 10000 ? m.peakMb <= 300 : null });
    if (m.durationS > 11) {
      const growth = m.rssLateMb / m.rss10sMb;
      rows.push({ measurement: id, metric: 'rssGrowth', label: `RSS at ${m.durationS - 1} s ÷ RSS at 10 s`, medians: { novaload: growth }, spreads: {}, reference: null, ratios: {}, target: '≤ 1.1', met: Number.isFinite(growth) ? growth <= 1.1 : null });
    }
  }
  const when = new Date().toISOString();
  const header = `novaload bench ${when} (${settings.quick ? 'quick' : 'full'}: ${settings.rounds} round(s) of ${settings.durationS} s per run)\n\nmachine: ${info.cpu}, ${info.cores} cores, Node ${info.node}, Linux ${info.kernel}; load average ${info.loadavgAtStart} at start, ${info.loadavgAtEnd} at end\n\nCells: median over rounds ±half their range (the noise). Ratios: novaload ÷ peer, the median of ratios taken in the same round.\n`;
  const md = `${header}\n${markdownTable(rows, titles, present)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  process.stdout.write(`\n${md}`);
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stem = `bench-${when.replace(/[:.]/g, '-')}`;
  writeFileSync(join(dir, `${stem}.md`), md);
  writeFileSync(join(dir, `${stem}.json`), `${JSON.stringify({ when, settings, machine: info, notes, rows, memory, floors }, null, 2)}\n`);
  log(`written: bench/results/${stem}.md and .json`);
}

main().catch((err: unknown) => {
  log(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
