/**
 * The publishable package and the slim image, proved where no Docker engine
 * runs. The Dockerfile's build-stage commands after `pnpm install
 * --frozen-lockfile` (which .ci/run itself runs on a clean clone) run here
 * as written: `npm pack` of packages/novaload and `npm install --global
 * --prefix` of the tarball, with the image's paths mapped to a temp dir.
 * Then the final stage's ENTRYPOINT runs from that prefix as the image runs
 * it: user 1000 (the install read-only to it), its WORKDIR a fresh directory
 * outside the repository, only node on PATH (no pnpm, no workspace): help,
 * version, demo, init → validate → run on two worker threads and on a remote
 * agent against a server that counts, YAML, the shipped examples, and the
 * dashboard's page (uPlot is read from the installed dependency). Also
 * `npx ./novaload-<v>.tgz demo`, and what the tarball and the install hold.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, runCli, startCli, type CliOptions } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';
import { argsOf, readDockerfile, type Stage } from './helpers/dockerfile.js';
import { startServer, type TestServer } from './helpers/servers.js';

const exec = promisify(execFile);
const PKG = JSON.parse(await readFile(join(ROOT, 'packages/novaload/package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string>; devDependencies?: unknown };
/** What only builds or tests novaload: none of it may be installed with the package. */
const DEV_ONLY = ['typescript', 'esbuild', 'autocannon', 'fast-check', '@types', '@novaload', 'pnpm'];
/** The image's user: the base image's `node`, uid and gid 1000; as root, this test runs novaload as that user too. */
const IMAGE_UID = 1000;

/** npm and node with the machine's environment, minus what pnpm sets for the scripts it runs (npm_config_*, its PATH with the workspace's bins). */
function cleanEnv(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(npm_|pnpm_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$)/i.test(k)) env[k] = v;
  env.PATH = path;
  return env;
}

const NODE_DIR = dirname(process.execPath);
let stages: Stage[];
let tmp: string;
let prefix: string;
let tarball: string;
let work: string;
let image: CliOptions;

// The checks after the install are independent (their own files in the work dir, their own servers): they run at once.
describe('the package and the image', { concurrency: true }, () => {
  before(async () => {
    stages = await readDockerfile(join(ROOT, 'Dockerfile'));
    tmp = await mkdtemp(join(tmpdir(), 'novaload-image-'));
    await chmod(tmp, 0o755);
    const build = stages[0]!;
    const runs = argsOf(build, 'RUN');
    const installed = runs.findIndex((r) => r === 'pnpm install --frozen-lockfile');
    assert.ok(installed >= 0, 'the build stage installs the workspace from the lockfile, as .ci/run does');
    assert.deepEqual(argsOf(build, 'WORKDIR'), ['/build']);
    const paths: [string, string][] = [
      ['/build/pack', join(tmp, 'pack')],
      ['/opt/novaload', join(tmp, 'opt/novaload')],
    ];
    for (const command of runs.slice(installed + 1)) {
      const mapped = paths.reduce((c, [from, to]) => c.split(from).join(to), command);
      assert.doesNotMatch(mapped, /(^|\s)\/(build|opt|usr|app)\b/, `every path "${command}" writes is mapped into the test's temp dir`);
      const { stderr } = await exec('bash', ['-euo', 'pipefail', '-c', mapped], { cwd: ROOT, env: cleanEnv(`${NODE_DIR}:/usr/bin:/bin`), timeout: 180_000, maxBuffer: 16 << 20 });
      // The other end-to-end files run this same bundle meanwhile: packing from packages/novaload must make it byte for byte
      // (it once differed by the cwd in its path comments, and a running test's lazy import found its chunk deleted).
      const changed = /bundle: dist\/ \(\d+ files, (\d+) changed\)/.exec(stderr);
      if (changed) assert.equal(changed[1], '0', `npm pack rebuilt the bundle the suite is running:\n${stderr}`);
    }
    prefix = join(tmp, 'opt/novaload');
    tarball = join(tmp, 'pack', `${PKG.name}-${PKG.version}.tgz`);
    await stat(tarball);
    work = join(tmp, 'work');
    await mkdir(work);
    const final = stages.at(-1)!;
    const pathEnv = argsOf(final, 'ENV').map((e) => /^PATH=(.*)$/.exec(e)?.[1]).find((p) => p !== undefined);
    assert.equal(pathEnv, '/opt/novaload/bin:$PATH', 'the image puts the installed bin first on PATH');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chown(work, IMAGE_UID, IMAGE_UID);
    image = {
      command: ['novaload'],
      cwd: work,
      env: { ...cleanEnv(`${join(prefix, 'bin')}:${NODE_DIR}:/usr/bin:/bin`), HOME: work },
      ...(asRoot && { uid: IMAGE_UID, gid: IMAGE_UID }),
    };
    // startCli adds the parent's environment: PATH and the rest are replaced, and the workspace's own variables must not leak in.
    for (const k of Object.keys(process.env)) if (/^(npm_|pnpm_)/i.test(k)) image.env![k] = '';
  });

  test('Dockerfile: two stages on node 20 slim; the final one copies only the installed package, runs as a non-root user, ENTRYPOINT novaload', () => {
    assert.equal(stages.length, 2);
    for (const s of stages) assert.equal(s.from, 'node:20-bookworm-slim');
    const [build, final] = stages as [Stage, Stage];
    assert.equal(build.name, 'build');
    assert.match(argsOf(build, 'RUN').join('\n'), /npm install --global pnpm@10\.34\.9/, "pnpm pinned to the workspace's packageManager");
    assert.deepEqual(argsOf(final, 'COPY'), ['--from=build /opt/novaload /opt/novaload'], 'the final stage holds the installed package and nothing of the build');
    assert.ok(argsOf(final, 'RUN').every((r) => !/\b(npm|pnpm|npx)\b/.test(r)), 'nothing is installed in the final stage');
    assert.equal(argsOf(final, 'USER').at(-1), 'node');
    assert.deepEqual(argsOf(final, 'WORKDIR'), ['/work']);
    assert.match(argsOf(final, 'RUN').join('\n'), /mkdir \/work && chown node:node \/work/, 'the user can write reports in its WORKDIR');
    assert.deepEqual(JSON.parse(argsOf(final, 'ENTRYPOINT')[0]!), ['novaload']);
    assert.deepEqual(JSON.parse(argsOf(final, 'CMD')[0]!), ['--help']);
  });

  test('the tarball holds the bundle, the bin, the schema and the scenarios; the install holds only production dependencies', async (t) => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'bin/novaload.js', 'dist/novaload.js', 'dist/worker.js', 'scenarios/schema.json', 'scenarios/normal.json', 'scenarios/examples/smoke.yaml']) assert.ok(files.includes(f), `${f} is in the package`);
    for (const f of files) assert.match(f, /^(package\.json|README\.md|bin\/novaload\.js|dist\/[\w-]+\.js|scenarios\/[\w/.-]+\.(json|ya?ml|csv))$/, `${f}: only what runs or what users read`);
    const installedDir = join(prefix, 'lib/node_modules', PKG.name);
    const installed = JSON.parse(await readFile(join(installedDir, 'package.json'), 'utf8')) as typeof PKG;
    assert.equal(installed.devDependencies, undefined);
    for (const [name, version] of Object.entries(installed.dependencies)) assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned to an exact version`);
    const modules = await readdir(join(installedDir, 'node_modules'));
    for (const name of DEV_ONLY) assert.ok(!modules.includes(name), `${name} is not installed with the package`);
    for (const name of Object.keys(installed.dependencies)) assert.ok(modules.includes(name.split('/')[0]!), `${name} is installed`);
    const { stdout: du } = await exec('du', ['-sk', prefix]);
    t.diagnostic(`installed package with its dependencies: ${(Number(du.split('\t')[0]) / 1024).toFixed(1)} MiB`);
    // Each shipped example's $schema names the schema shipped beside it.
    for (const dir of ['scenarios', 'scenarios/examples']) {
      for (const f of (await readdir(join(installedDir, dir))).filter((n) => n.endsWith('.json') && n !== 'schema.json')) {
        const { $schema } = JSON.parse(await readFile(join(installedDir, dir, f), 'utf8')) as { $schema?: string };
        assert.ok($schema, `${dir}/${f} has a $schema`);
        await stat(join(installedDir, dir, $schema));
      }
    }
  });

  test('as the image runs it: --help (the CMD), --version, demo with its report', async () => {
    assert.equal((await exec('bash', ['-c', 'command -v novaload'], { env: image.env })).stdout.trim(), join(prefix, 'bin/novaload'), 'novaload on PATH is the installed one');
    const help = await runCli(JSON.parse(argsOf(stages.at(-1)!, 'CMD')[0]!) as string[], image);
    assert.equal(help.code, 0, help.stderr);
    for (const c of ['run', 'agent', 'demo', 'validate', 'init', 'breakpoint']) assert.match(help.stdout, new RegExp(`novaload ${c}\\b`));
    const version = await runCli(['--version'], image);
    assert.equal(version.stdout, `novaload ${PKG.version}\n`);
    // A tenth of the demo's VUs: the rest of the suite shares these 2 cores, and 100 VUs on them can push the demo's own latency past its critical levels (99).
    const demo = await runCli(['demo', '--duration', '1s', '--scale', '0.1', '--out', 'demo.json'], image);
    assert.equal(demo.code, 0, demo.stderr);
    // PASS on a quiet machine; WARN (still exit 0) when the suite's other files load it past a warning level.
    assert.match(demo.stdout, /Verdict: (PASS|WARN)/);
    const report = JSON.parse(await readFile(join(work, 'demo.json'), 'utf8')) as { totals: { requests: number } };
    assert.ok(report.totals.requests > 0);
    assert.match(demo.stdout, new RegExp(`Total Requests: ${report.totals.requests}\\n`), 'the summary printed is the report written');
  });

  test('init, validate and run on two worker threads, then on a remote agent, against a server that counts; YAML too', async () => {
    const server: TestServer = await startServer();
    try {
      const init = await runCli(['init', `${server.url}/health`, '--out', 'smoke.json'], image);
      assert.equal(init.code, 0, init.stderr);
      assert.equal((await runCli(['init', `${server.url}/health`, '--name', 'smoke-yaml', '--out', 'smoke.yaml'], image)).code, 0);
      const validate = await runCli(['validate', 'smoke.json', 'smoke.yaml'], image);
      assert.equal(validate.code, 0, validate.stderr);
      const local = await runCli(['run', 'smoke.yaml', '--duration', '1s', '--vus', '2', '--threads', '2', '--out', 'local.json', '--quiet'], image);
      assert.equal(local.code, 0, local.stderr);
      const localReport = JSON.parse(await readFile(join(work, 'local.json'), 'utf8')) as { totals: { requests: number }; threads?: unknown };
      assert.ok(localReport.totals.requests > 0);
      assert.equal(localReport.totals.requests, server.seen.length, 'every request the server saw is in the report, from both threads');
      const before = server.seen.length;
      const ctl = await startController(['run', 'smoke.json', '--duration', '1s', '--vus', '2', '--agents', '1', '--out', 'remote.json', '--quiet'], 60_000, image);
      const agent = startAgent(ctl.url, ['--once'], 60_000, image);
      const [c, a] = await Promise.all([ctl.result, agent.result]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(a.code, 0, a.stderr);
      const remote = JSON.parse(await readFile(join(work, 'remote.json'), 'utf8')) as { totals: { requests: number }; agents: { requests: number }[] };
      assert.equal(remote.totals.requests, server.seen.length - before);
      assert.equal(remote.agents[0]?.requests, remote.totals.requests, 'the remote agent sent them');
    } finally {
      await server.close();
    }
  });

  test('the shipped scenarios validate from the install, and the dashboard serves uPlot from the installed dependency', async () => {
    const shipped = join(prefix, 'lib/node_modules', PKG.name, 'scenarios');
    const files = [...['normal.json', 'peak.json', 'stress.json'].map((f) => join(shipped, f)), ...(await readdir(join(shipped, 'examples'))).filter((f) => /\.(json|ya?ml)$/.test(f)).map((f) => join(shipped, 'examples', f))];
    const v = await runCli(['validate', ...files, '--env', 'ADMIN_PASSWORD=from-the-test'], image);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const server = await startServer();
    try {
      assert.equal((await runCli(['init', `${server.url}/`, '--out', 'dash.json'], image)).code, 0);
      const run = startCli(['run', 'dash.json', '--duration', '2s', '--vus', '1', '--dashboard', '127.0.0.1:0', '--quiet'], image);
      await run.stderrIncludes('dashboard: http');
      const url = /dashboard: (http:\/\/\S+?)(\?| )/.exec(run.stderr())![1]!;
      const page = await (await fetch(url)).text();
      assert.match(page, /uPlot/, 'the page inlines uPlot, read from the installed uplot package');
      const metrics = await fetch(new URL('metrics', url));
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/, "prom-client's registry answers /metrics");
      await metrics.arrayBuffer();
      assert.equal((await run.result).code, 0, run.stderr());
    } finally {
      await server.close();
    }
  });

  test('npx ./novaload-<v>.tgz demo runs the packed CLI without installing it', async () => {
    // As the README says it, from the directory holding the tarball (npx takes a bare path for a command, `./` for a package).
    const r = await exec('npx', ['--yes', `./${basename(tarball)}`, 'demo', '--duration', '1s', '--scale', '0.1'], { cwd: dirname(tarball), env: cleanEnv(`${NODE_DIR}:/usr/bin:/bin`), timeout: 120_000 }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal('code' in r ? r.code : 0, 0, r.stderr);
    assert.match(r.stdout, /Total Requests: [1-9]\d*\n[\s\S]*Verdict: (PASS|WARN)/);
  });
});
