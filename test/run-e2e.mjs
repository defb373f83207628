/**
 * The end-to-end suite in two groups, so it fits its 10 minutes on 2 cores.
 * Files whose assertions hang on timing (arrival spacing, latency against a
 * known delay, start offsets, RSS over time, deadlines) run one at a time,
 * alone on the machine; the rest, which wait on processes, agents, browsers
 * and Prometheus rather than measure time, run two at a time. A new file
 * goes in TIMED when it asserts on time or rates; otherwise nothing to do.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const TIMED = new Set([
  'abort', 'bench-demo', 'breakpoint', 'closed-model', 'distributed-deadlines', 'exit-codes', 'hdr-log', 'iterations',
  'open-model', 'phases', 'resources', 'run-counts', 'run-file', 'signals', 'soak',
]);
const files = readdirSync(dist).filter((f) => f.endsWith('.test.js')).sort();
const timed = files.filter((f) => TIMED.has(f.replace(/\.test\.js$/, '')));
const rest = files.filter((f) => !timed.includes(f));
const unknown = [...TIMED].filter((name) => !files.includes(`${name}.test.js`));
if (unknown.length > 0) {
  console.error(`run-e2e: TIMED names files that do not exist: ${unknown.join(', ')}`);
  process.exit(1);
}
let failed = false;
for (const [group, concurrency] of [[timed, 1], [rest, 2]]) {
  const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...group.map((f) => join(dist, f))], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
