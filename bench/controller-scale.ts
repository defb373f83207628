/**
 * `pnpm bench:controller [-- --shares 10,50,200] [--names 5,20,50]
 * [--seconds 20] [--speed 1] [--rps 20] [--long-seconds 600] [--long-speed 1.5]
 * [--cpu-prof DIR] [--controller-dir DIR]`: how the controller's merge grows with the work (issue 14
 * point 5), measured by lib/controller-scale.ts. For each shares × names it
 * reports the controller's CPU per simulated second of load (% of one
 * core), the lag from a second's last snapshot sent to that second merged,
 * and RSS; then one long run of 200 × 50 for `--long-seconds` simulated seconds
 * (sent `--long-speed` times faster than real time: the controller allows 4
 * snapshots a second per share, and needs speed × its CPU per second of
 * cores, or it falls behind and loses its agents) for the RSS after 10
 * simulated minutes.
 * The report's request count is checked against what was sent.
 * `--controller-dir` runs another build's controller (a checkout of an
 * earlier commit, built there) to measure the design before a change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measure, scaleRow, TABLE_HEAD, type ScaleFigures } from './lib/controller-scale.js';
import { repoRoot } from './lib/tools.js';

const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    shares: { type: 'string', default: '10,50,200' },
    names: { type: 'string', default: '5,20,50' },
    seconds: { type: 'string', default: '20' },
    speed: { type: 'string', default: '1' },
    rps: { type: 'string', default: '20' },
    'long-seconds': { type: 'string', default: '600' },
    'long-speed': { type: 'string', default: '1.5' },
    'cpu-prof': { type: 'string' },
    'controller-dir': { type: 'string' },
  },
});
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** One row, or what went wrong: a controller that falls behind loses its agents (exit 111), which is a result too. */
async function attempt(run: () => Promise<ScaleFigures>, results: ScaleFigures[], head: string): Promise<string> {
  try {
    const f = await run();
    results.push(f);
    return scaleRow(f);
  } catch (err) {
    log(`${head} failed; the controller's last words:\n${(err as Error).message.slice(-3000)}`);
    const first = /degraded: .*|exited \d+/.exec((err as Error).message)?.[0] ?? (err as Error).message.split('\n')[0];
    return `${head} failed: ${first} |`;
  }
}

async function main(): Promise<void> {
  const seconds = Number(flags.seconds);
  const speed = Number(flags.speed);
  const rps = Number(flags.rps);
  const results: ScaleFigures[] = [];
  const lines = [
    `controller scale${flags['controller-dir'] ? ` (controller of ${flags['controller-dir']})` : ''}, ${availableParallelism()} cores, node ${process.version}, load average ${loadavg()[0].toFixed(2)} at start; ${rps} requests per share per name per second`,
    '',
    ...TABLE_HEAD,
  ];
  const controllerDir = flags['controller-dir'];
  for (const shares of flags.shares.split(',').map(Number)) {
    for (const names of flags.names.split(',').map(Number)) {
      lines.push(await attempt(() => measure({ shares, names, seconds, speed, rps, cpuProf: flags['cpu-prof'], controllerDir }), results, `| ${shares} | ${names} | ${seconds} s at ${speed}× |`));
      log(lines.at(-1)!);
    }
  }
  const longSeconds = Number(flags['long-seconds']);
  if (longSeconds > 0) {
    lines.push(await attempt(() => measure({ shares: 200, names: 50, seconds: longSeconds, speed: Number(flags['long-speed']), rps, controllerDir }), results, `| 200 | 50 | ${longSeconds} s at ${flags['long-speed']}× |`));
    log(lines.at(-1)!);
  }
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(repoRoot, `bench/results/controller-scale-${stamp}.json`), JSON.stringify(results, null, 2));
  writeFileSync(join(repoRoot, `bench/results/controller-scale-${stamp}.md`), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
