/**
 * The Dockerfile and the Kubernetes manifests in deploy/k8s agree with the
 * real CLI and with each other: every container command parses with
 * novaload's own grammar (an unknown flag fails), the agents reach the
 * controller through the Service's name and port, the Service port is the
 * controller's --listen port, the agents' parallelism is the controller's
 * --agents, the token comes from the Secret in both (never on a command line),
 * the controller runs the ConfigMap's scenario and it passes `novaload
 * validate`, and the image's ENTRYPOINT runs the bin and EXPOSEs that port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { argsOf, readDockerfile } from './helpers/dockerfile.js';

type Cli = typeof import('../packages/controller/src/cli.js');
type Args = import('../packages/controller/src/cli.js').Args;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { parseArgs } = (await import(pathToFileURL(join(ROOT, 'packages/controller/dist/src/cli.js')).href)) as Cli;

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } } }
interface Container { name: string; image: string; command?: unknown[]; args?: unknown[]; env?: EnvVar[]; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }
interface PodTemplate { metadata?: { labels?: Record<string, string> }; spec: { containers: Container[]; volumes?: { name: string; configMap?: { name: string } }[] } }
interface Resource {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: { template?: PodTemplate; completionMode?: string; parallelism?: number; completions?: number; selector?: Record<string, string>; ports?: { port: number; targetPort?: number }[] };
}

async function loadManifests(): Promise<Resource[]> {
  const dir = join(ROOT, 'deploy/k8s');
  const out: Resource[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      assert.deepEqual(doc.errors, [], `${file} parses`);
      if (doc.contents) out.push(doc.toJS() as Resource);
    }
  }
  return out;
}

/** The container's argv as the kubelet runs it: $(VAR) must name one of its env variables and becomes a sample value. */
function argvOf(c: Container): string[] {
  const raw = [...(c.command ?? []), ...(c.args ?? [])];
  for (const a of raw) assert.equal(typeof a, 'string', `${c.name}: "${String(a)}" must be a string (quote numbers)`);
  return (raw as string[]).map((a) =>
    a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name: string) => {
      assert.ok(c.env?.some((e) => e.name === name), `${c.name}: $(${name}) is defined in its env, or Kubernetes leaves it as is`);
      return name === 'JOB_COMPLETION_INDEX' ? '0' : `${name.toLowerCase()}-sample`;
    }),
  );
}

/** Parse a container's command with the real CLI grammar. */
async function parsed(c: Container): Promise<Args> {
  const argv = argvOf(c);
  assert.equal(argv[0], 'novaload', `${c.name} runs the novaload bin`);
  const outcome = await parseArgs(argv.slice(1));
  assert.equal(outcome.kind, 'args', outcome.kind === 'error' ? `${c.name}: ${outcome.message}` : `${c.name}: ${outcome.kind}`);
  return (outcome as { args: Args }).args;
}

/** Everything the tests compare, read once: the manifests by role and both commands parsed by the real CLI. */
const deployment = memo(async () => {
  const manifests = await loadManifests();
  const only = (kind: string, pick: (r: Resource) => boolean = () => true): Resource => {
    const found = manifests.filter((r) => r.kind === kind && pick(r));
    assert.equal(found.length, 1, `exactly one ${kind} of that kind in deploy/k8s`);
    return found[0]!;
  };
  const commandOf = (r: Resource): unknown[] => [...(containerOf(r).command ?? []), ...(containerOf(r).args ?? [])];
  const controllerJob = only('Job', (r) => commandOf(r)[1] === 'run');
  const agentsJob = only('Job', (r) => commandOf(r)[1] === 'agent');
  const ctl = await parsed(containerOf(controllerJob));
  return {
    controllerJob,
    agentsJob,
    service: only('Service'),
    secret: only('Secret'),
    configMap: only('ConfigMap'),
    ctl,
    agent: await parsed(containerOf(agentsJob)),
    listenPort: Number(String(ctl.listen).split(':').pop()),
  };
});

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

function containerOf(job: Resource): Container {
  assert.equal(job.spec?.template?.spec.containers.length, 1, `${job.metadata.name} has one container`);
  return job.spec!.template!.spec.containers[0]!;
}

test('every container command is a novaload command line the real CLI parses; both run the same image', async () => {
  const { ctl, agent, controllerJob, agentsJob } = await deployment();
  assert.equal(ctl._[0], 'run');
  assert.equal(agent._[0], 'agent');
  assert.equal(containerOf(controllerJob).image, containerOf(agentsJob).image);
});

test('the agents reach the controller through the Service; its port is the --listen port and it selects the controller pod only', async () => {
  const { ctl, agent, controllerJob, agentsJob, service, listenPort } = await deployment();
  assert.match(String(ctl.listen), /^0\.0\.0\.0:\d+$/, 'the controller listens on every interface of its pod');
  const port = service.spec!.ports!;
  assert.equal(port.length, 1);
  assert.equal(port[0]!.port, listenPort);
  assert.equal(port[0]!.targetPort ?? port[0]!.port, listenPort);
  const url = new URL(String(agent.controller));
  assert.equal(url.protocol, 'ws:');
  assert.equal(url.hostname, service.metadata.name);
  assert.equal(Number(url.port), port[0]!.port);
  const selects = (job: Resource) => Object.entries(service.spec!.selector!).every(([k, v]) => job.spec!.template!.metadata?.labels?.[k] === v);
  assert.ok(selects(controllerJob), 'the Service selects the controller pod');
  assert.ok(!selects(agentsJob), 'the Service does not select the agents');
});

test('the agents are an indexed Job whose parallelism and completions equal the controller\'s --agents; each named by its index, leaving after the run', async () => {
  const { ctl, agent, agentsJob } = await deployment();
  assert.equal(agentsJob.spec!.completionMode, 'Indexed');
  assert.equal(agentsJob.spec!.parallelism, ctl.agents);
  assert.equal(agentsJob.spec!.completions, ctl.agents);
  assert.ok(argvOf(containerOf(agentsJob)).includes('agent-0') && containerOf(agentsJob).command!.includes('agent-$(JOB_COMPLETION_INDEX)'));
  const index = containerOf(agentsJob).env!.find((e) => e.name === 'JOB_COMPLETION_INDEX');
  assert.equal(index?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
  assert.equal(agent.once, true);
});

test('the token comes from the Secret in both, as NOVALOAD_TOKEN, never on a command line; the Secret holds a placeholder', async () => {
  const { controllerJob, agentsJob, secret } = await deployment();
  for (const job of [controllerJob, agentsJob]) {
    const c = containerOf(job);
    const ref = c.env?.find((e) => e.name === 'NOVALOAD_TOKEN')?.valueFrom?.secretKeyRef;
    assert.equal(ref?.name, secret.metadata.name, `${c.name}: NOVALOAD_TOKEN from the Secret`);
    assert.ok(ref.key in { ...secret.data, ...secret.stringData }, `${c.name}: the Secret has key ${ref.key}`);
    assert.ok(!argvOf(c).some((a) => a.startsWith('--token')), `${c.name}: no --token on the command line`);
  }
  assert.match(Object.values(secret.stringData ?? {}).join(), /REPLACE/, 'the committed token is a placeholder to replace');
});

test('the controller runs the ConfigMap\'s scenario, which passes novaload validate; the agents allow its target host; --out is on a writable volume', async () => {
  const { ctl, agent, controllerJob, configMap } = await deployment();
  const c = containerOf(controllerJob);
  const file = String((ctl.scenarios as string[])[0]);
  const mount = c.volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`));
  const volume = controllerJob.spec!.template!.spec.volumes!.find((v) => v.name === mount?.name);
  assert.equal(volume?.configMap?.name, configMap.metadata.name, `${file} is in the ConfigMap's volume`);
  const scenario = configMap.data![posix.relative(mount!.mountPath, file)];
  assert.ok(scenario, `the ConfigMap has ${posix.basename(file)}`);
  const dir = await tempDir();
  const r = await runCli(['validate', await writeScenario(dir, posix.basename(file), JSON.parse(scenario))]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const allowed = String(agent['allow-hosts']).split(',');
  assert.ok(allowed.includes(new URL(JSON.parse(scenario).target).hostname), `--allow-hosts ${allowed.join(',')} lets the agents load the target`);
  const out = c.volumeMounts!.find((m) => String(ctl.out).startsWith(`${m.mountPath}/`));
  assert.ok(out && !out.readOnly, `--out ${String(ctl.out)} is on a writable volume`);
});

test('Dockerfile: the image the Jobs run has ENTRYPOINT novaload and EXPOSEs the controller port (the rest of the recipe: test/image.test.ts)', async () => {
  const { listenPort } = await deployment();
  const final = (await readDockerfile(join(ROOT, 'Dockerfile'))).at(-1)!;
  assert.deepEqual(JSON.parse(argsOf(final, 'ENTRYPOINT')[0]!), ['novaload']);
  assert.doesNotMatch(argsOf(final, 'USER').at(-1) ?? 'root', /^(root|0)(:|$)/, 'runs as a non-root user');
  const defaults = await parseArgs(['run', 's.json', '--agents', '1']);
  assert.equal(defaults.kind, 'args');
  const defaultPort = String((defaults as { args: Args }).args.listen).split(':').pop();
  assert.deepEqual(argsOf(final, 'EXPOSE'), [defaultPort]);
  assert.equal(Number(defaultPort), listenPort);
  const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n');
  for (const p of ['**/node_modules', '**/dist']) assert.ok(ignored.includes(p), `.dockerignore keeps ${p} out of the image`);
});
