/**
 * The CI examples in examples/ci do what their comments say: each file is
 * parsed, its structure checked (artifact paths are the files novaload
 * writes, the JUnit report is its --junit, the upload steps run always, the
 * Job runs the image as non-root on a read-only root), and then the novaload
 * commands written in it are run as its runner would, against a loopback
 * server that counts requests: a healthy one passes (0) and a slow or failing
 * one fails the job (99), with every report file where the CI looks for it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderMarkdown, type Report } from '@novaload/report';
import { callsNovaload, expandK8s, mentionsNovaload, runCommand, runScript, scriptLines, shellWords, yamlDocuments, type ScriptResult } from './helpers/ci-files.js';
import { tempDir } from './helpers/cli.js';
import { novaloadPath } from './helpers/novaload-path.js';
import { startServer, type TestServer } from './helpers/servers.js';

type Args = import('../packages/controller/src/cli.js').Args;
type Cli = typeof import('../packages/controller/src/cli.js');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CI = join(ROOT, 'examples/ci');
const { parseArgs } = (await import(pathToFileURL(join(ROOT, 'packages/controller/dist/src/cli.js')).href)) as Cli;
const SMOKE = JSON.parse(await readFile(join(CI, 'smoke.json'), 'utf8')) as { vus: number; iterations: number; requests: unknown[] } & Record<string, unknown>;
/** Every iteration sends each request once, in order: the count the server must see. */
const REQUESTS = SMOKE.vus * SMOKE.iterations * SMOKE.requests.length;
const INSTALL = 'npm i -g novaload@0.1.0';

/** Answers at once: the gate passes. */
const healthy = (): Promise<TestServer> => startServer();
/** Its first 6 answers (7.5 % of the run, more than p95 leaves out) take 600 ms, over the 500 ms critical p95. */
const slow = (): Promise<TestServer> => startServer((_, i) => (i < 6 ? { delayMs: 600 } : {}));
/** Every answer is a 503: the error rate's critical level fails. */
const failing = (): Promise<TestServer> => startServer(() => ({ status: 503 }));

/** The report files a novaload command line writes, read with the real CLI's grammar (an unknown flag fails here). */
async function outputsOf(words: string[]): Promise<{ args: Args; files: { out: string; html: string; junit: string } }> {
  assert.equal(words[0], 'run', `${words.join(' ')} is a novaload run`);
  const outcome = await parseArgs(words);
  assert.equal(outcome.kind, 'args', outcome.kind === 'error' ? outcome.message : outcome.kind);
  const args = (outcome as { args: Args }).args;
  for (const flag of ['out', 'html', 'junit'] as const) assert.equal(typeof args[flag], 'string', `the run writes --${flag}`);
  return { args, files: { out: String(args.out), html: String(args.html), junit: String(args.junit) } };
}

/** A clean environment with novaload on PATH (nothing of the CI job running these tests, such as its own GITHUB_STEP_SUMMARY). */
async function envWith(vars: Record<string, string>): Promise<Record<string, string>> {
  return { PATH: `${await novaloadPath()}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...vars };
}

/** Copy the scenario files a command names from the repo into `dir`, at the same relative paths. */
async function checkout(dir: string, args: Args): Promise<void> {
  for (const file of args.scenarios as string[]) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(ROOT, file), join(dir, file));
  }
}

/** What a run must leave for the CI: its exit code, the server's count in the report, the HTML, and JUnit failing exactly the failed critical levels. */
async function checkRun(r: ScriptResult, code: number, server: TestServer, at: { out: string; html: string; junit: string }): Promise<Report> {
  assert.equal(r.code, code, r.stdout + r.stderr);
  const report = JSON.parse(await readFile(at.out, 'utf8')) as Report;
  assert.equal(server.seen.length, REQUESTS, 'the server saw every request of the scenario');
  assert.equal(report.totals.requests, server.seen.length, 'the report counts what the server saw');
  assert.equal(report.verdict, code === 0 ? 'pass' : 'fail');
  assert.match(await readFile(at.html, 'utf8'), /^<!doctype html>/i);
  const junit = await readFile(at.junit, 'utf8');
  assert.match(junit, /<testsuite [^>]*name="novaload\.ci-smoke"/);
  const failedCritical = report.thresholds.filter((t) => t.level === 'critical' && !t.ok).length;
  assert.equal(junit.match(/<failure/g)?.length ?? 0, failedCritical);
  assert.equal(failedCritical > 0, code === 99);
  return report;
}

interface GhStep { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string>; 'continue-on-error'?: unknown }
interface GhJob { env?: Record<string, string>; steps: GhStep[]; 'continue-on-error'?: unknown }

const github = memo(async () => {
  const [wf] = await yamlDocuments<{ on: Record<string, unknown>; jobs: Record<string, GhJob> }>(join(CI, 'github-actions.yml'));
  const jobs = Object.values(wf!.jobs);
  assert.equal(jobs.length, 1, 'one job');
  const job = jobs[0]!;
  const runs = job.steps.filter((s) => s.run !== undefined).flatMap((s) => scriptLines(s.run!).map((line) => ({ step: s, line })));
  const picked = runs.filter((r) => callsNovaload(r.line));
  assert.deepEqual(picked.map((p) => p.step.name), ['Load test'], 'the rule picks the load test step\'s one novaload line');
  assert.deepEqual(runs.filter((r) => mentionsNovaload(r.line) && !callsNovaload(r.line)).map((r) => r.line), [INSTALL], 'no other line runs novaload (npx, a path)');
  const env = { ...job.env, ...picked[0]!.step.env };
  const { args, files } = await outputsOf(shellWords(picked[0]!.line, env).slice(1));
  return { wf: wf!, job, step: picked[0]!.step, line: picked[0]!.line, env, args, files };
});

test('GitHub Actions: on push and pull_request, Node 20, the load test step gates the job, reports uploaded and published always', async () => {
  const { wf, job, step, line, env, args, files } = await github();
  assert.ok('push' in wf.on && 'pull_request' in wf.on);
  const node = job.steps.find((s) => s.uses === 'actions/setup-node@v4');
  assert.equal(String(node?.with?.['node-version']), '20');
  assert.ok(job.steps.some((s) => s.run?.trim() === INSTALL), 'novaload is installed at the pinned version');
  assert.doesNotMatch(line, /\|\||;\s*true|set \+e/, 'novaload\'s exit code is the step\'s');
  assert.equal(step['continue-on-error'] ?? job['continue-on-error'], undefined);
  assert.equal(args.target, env.TARGET_URL, '--target is the job\'s TARGET_URL');
  const upload = job.steps.find((s) => s.uses === 'actions/upload-artifact@v4');
  assert.equal(upload?.if, 'always()');
  assert.deepEqual(scriptLines(String(upload!.with!.path)).sort(), Object.values(files).sort(), 'the artifact is the files novaload writes');
  const junit = job.steps.find((s) => s.with?.report_paths !== undefined);
  assert.equal(junit?.if, 'always()');
  assert.equal(junit!.with!.report_paths, files.junit);
  assert.ok(job.steps.indexOf(step) < job.steps.indexOf(upload!) && job.steps.indexOf(step) < job.steps.indexOf(junit!));
});

for (const [name, server, code] of [['passes against a healthy service (exit 0)', healthy, 0], ['fails the job when p95 is over its critical level (exit 99)', slow, 99]] as const) {
  test(`GitHub Actions: the load test step ${name}; reports where upload-artifact looks, the markdown report in the step summary`, async () => {
    const { step, env, args, files } = await github();
    const srv = await server();
    try {
      const dir = await tempDir();
      await checkout(dir, args);
      const summary = join(dir, 'step-summary.md');
      await writeFile(summary, '');
      const script = scriptLines(step.run!).filter(callsNovaload).join('\n');
      const r = await runScript(script, { cwd: dir, env: await envWith({ ...env, TARGET_URL: srv.url, GITHUB_STEP_SUMMARY: summary }) });
      const report = await checkRun(r, code, srv, { out: join(dir, files.out), html: join(dir, files.html), junit: join(dir, files.junit) });
      assert.equal(await readFile(summary, 'utf8'), renderMarkdown(report), 'the job page shows the markdown report, once');
    } finally {
      await srv.close();
    }
  });
}

interface GlJob { image?: string; variables?: Record<string, string>; before_script?: string[]; script: string[]; artifacts?: { when?: string; paths?: string[]; reports?: { junit?: string } } }

const gitlab = memo(async () => {
  const [ci] = await yamlDocuments<Record<string, GlJob>>(join(CI, 'gitlab-ci.yml'));
  const job = ci!['load-test']!;
  const lines = job.script.flatMap(scriptLines);
  assert.deepEqual(lines.filter(callsNovaload).length, 1, 'the rule picks the script\'s one novaload line');
  assert.deepEqual([...(job.before_script ?? []), ...lines].filter((l) => mentionsNovaload(l) && !callsNovaload(l)), [INSTALL]);
  const line = lines.find(callsNovaload)!;
  const env = { ...job.variables };
  return { job, line, env, ...(await outputsOf(shellWords(line, env).slice(1))) };
});

test('GitLab CI: node:20, installs then runs, artifacts kept always, the JUnit report is novaload\'s --junit', async () => {
  const { job, line, env, args, files } = await gitlab();
  assert.equal(job.image, 'node:20');
  assert.doesNotMatch(line, /\|\||;\s*true/);
  assert.equal(args.target, env.TARGET_URL);
  assert.equal(job.artifacts?.when, 'always');
  assert.equal(job.artifacts?.reports?.junit, files.junit);
  assert.deepEqual([...job.artifacts!.paths!].sort(), Object.values(files).sort());
});

for (const [name, server, code] of [['passes against a healthy service (exit 0)', healthy, 0], ['fails the job when every answer is a 503 (exit 99)', failing, 99]] as const) {
  test(`GitLab CI: the script ${name}; the artifact files and the JUnit report exist`, async () => {
    const { line, env, args, files } = await gitlab();
    const srv = await server();
    try {
      const dir = await tempDir();
      await checkout(dir, args);
      const r = await runScript(line, { cwd: dir, env: await envWith({ ...env, TARGET_URL: srv.url }) });
      await checkRun(r, code, srv, { out: join(dir, files.out), html: join(dir, files.html), junit: join(dir, files.junit) });
    } finally {
      await srv.close();
    }
  });
}

interface K8sContainer { image: string; command?: string[]; args?: string[]; env?: { name: string; value?: string }[]; resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> }; securityContext?: Record<string, unknown>; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }
interface K8sDoc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { backoffLimit?: number; template: { spec: { restartPolicy?: string; securityContext?: Record<string, unknown>; containers: K8sContainer[]; volumes: { name: string; configMap?: { name: string }; emptyDir?: unknown }[] } } };
}

const k8s = memo(async () => {
  const docs = await yamlDocuments<K8sDoc>(join(CI, 'k8s-job.yaml'));
  const one = (kind: string) => {
    const found = docs.filter((d) => d.kind === kind);
    assert.equal(found.length, 1, `one ${kind}`);
    return found[0]!;
  };
  const job = one('Job');
  const pod = job.spec!.template.spec;
  assert.equal(pod.containers.length, 1);
  const c = pod.containers[0]!;
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, String(e.value)]));
  const volumeAt = (path: string) => {
    const mount = c.volumeMounts!.find((m) => path.startsWith(`${m.mountPath}/`));
    assert.ok(mount, `${path} is on a mounted volume`);
    return { mount: mount!, volume: pod.volumes.find((v) => v.name === mount!.name)! };
  };
  return { configMap: one('ConfigMap'), job, pod, c, env, volumeAt, ...(await outputsOf((c.args ?? []).map((a) => expandK8s(a, env)))) };
});

test('Kubernetes: a Job on the image (no retry), non-root on a read-only root with resources, the ConfigMap\'s key is the scenario file, reports on an emptyDir', async () => {
  const { configMap, job, pod, c, env, volumeAt, args, files } = await k8s();
  assert.equal(job.spec!.backoffLimit, 0);
  assert.equal(pod.restartPolicy, 'Never');
  assert.equal(c.image, 'novaload:0.1.0');
  assert.equal(c.command, undefined, 'the image\'s ENTRYPOINT (novaload) runs the args');
  assert.ok(c.args!.includes('$(TARGET)') && 'TARGET' in env, 'the target comes from the env variable TARGET');
  assert.equal(args.target, env.TARGET);
  assert.equal(pod.securityContext?.runAsNonRoot, true);
  assert.equal(pod.securityContext?.runAsUser, 1000);
  assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
  for (const k of ['requests', 'limits'] as const) assert.ok(c.resources?.[k]?.cpu && c.resources[k].memory, `resources.${k} has cpu and memory`);
  const file = String((args.scenarios as string[])[0]);
  const scenarios = volumeAt(file);
  assert.equal(scenarios.volume.configMap?.name, configMap.metadata.name);
  const text = configMap.data![posix.relative(scenarios.mount.mountPath, file)];
  assert.ok(text, `the ConfigMap has the key ${posix.basename(file)}`);
  const { $schema: _, ...smoke } = SMOKE;
  assert.deepEqual(JSON.parse(text), smoke, 'the ConfigMap holds examples/ci/smoke.json');
  for (const out of Object.values(files)) {
    const { mount, volume } = volumeAt(out);
    assert.ok(volume.emptyDir !== undefined && !mount.readOnly, `${out} is on the writable emptyDir`);
  }
});

for (const [name, server, code] of [['passes against a healthy service (exit 0)', healthy, 0], ['fails the Job when every answer is a 503 (exit 99)', failing, 99]] as const) {
  test(`Kubernetes: the container's argv ${name}; it writes its reports and nothing else`, async () => {
    const { c, env, configMap } = await k8s();
    const srv = await server();
    try {
      const pod = await tempDir();
      const dirs = new Map(c.volumeMounts!.map((m) => [m.mountPath, join(pod, m.name)]));
      for (const d of dirs.values()) await mkdir(d);
      const scenariosDir = dirs.get('/scenarios')!;
      for (const [key, text] of Object.entries(configMap.data!)) await writeFile(join(scenariosDir, key), text);
      const workdir = join(pod, 'workdir');
      await mkdir(workdir);
      const local = (arg: string) => [...dirs].reduce((a, [mountPath, d]) => (a.startsWith(`${mountPath}/`) ? d + a.slice(mountPath.length) : a), arg);
      const argv = c.args!.map((a) => local(expandK8s(a, { ...env, TARGET: srv.url })));
      const r = await runCommand(['novaload', ...argv], { cwd: workdir, env: await envWith({}) });
      const results = dirs.get('/results')!;
      const { files } = await k8s();
      await checkRun(r, code, srv, { out: local(files.out), html: local(files.html), junit: local(files.junit) });
      assert.deepEqual((await readdir(results)).sort(), Object.values(files).map((f) => posix.basename(f)).sort(), 'only the report files, no temporary left');
      assert.deepEqual(await readdir(workdir), [], 'nothing written to the working directory');
      assert.deepEqual((await readdir(scenariosDir)).sort(), Object.keys(configMap.data!).sort());
    } finally {
      await srv.close();
    }
  });
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}
