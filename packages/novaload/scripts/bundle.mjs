#!/usr/bin/env node
/**
 * Builds the publishable `novaload` package (npm pack runs it as prepack)
 * from the built workspace: esbuild bundles the three workspace packages
 * (report ← agent ← controller, compiled by `tsc -b`) into dist/, with two
 * entries, the CLI and the worker thread the agent starts, and shared code
 * in chunks beside them (dist/ is flat, so the agent's
 * `new URL('./worker.js', import.meta.url)` finds the worker from any chunk).
 *
 * Third-party packages stay external: they are this package's
 * `dependencies`, installed by npm from the registry, each under its own
 * licence, and updatable and auditable there. The script checks that the
 * dependencies in package.json are exactly the packages the bundle loads
 * (by import, or by a createRequire `require("…")`/`resolve("…")`), at the
 * exact version the workspace pins, and fails naming the difference.
 *
 * It also copies what the CLI reads at run time and what users read:
 * scenarios/ (the runbook profiles, the examples and schema.json) and README.md.
 */
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(pkgDir, '../..');
const workspace = ['report', 'agent', 'controller'].map((p) => join(root, 'packages', p));
const entryPoints = {
  novaload: join(root, 'packages/controller/dist/src/entry.js'),
  worker: join(root, 'packages/agent/dist/src/worker.js'),
};

function fail(message) {
  process.stderr.write(`bundle: ${message}\n`);
  process.exit(1);
}

for (const file of Object.values(entryPoints)) {
  if (!existsSync(file)) fail(`${file} is missing: build the workspace first (npx --yes pnpm@10.34.9 install --frozen-lockfile, which builds)`);
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (spec) => spec.startsWith('node:') || builtinModules.includes(packageOf(spec));

const imported = new Set();
const external = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@novaload/')) return undefined; // bundled: the workspace's own code
      if (!isBuiltin(args.path)) imported.add(packageOf(args.path));
      return { external: true };
    });
  },
};

const result = await build({
  entryPoints,
  bundle: true,
  // Paths in the output (its comments) are relative to this: the same bundle from any cwd, so a pack during the e2e suite rewrites nothing.
  absWorkingDir: root,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: join(pkgDir, 'dist'),
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  plugins: [external],
  logLevel: 'warning',
  write: false,
});

// Packages loaded through createRequire (the generated validators' ajv runtime, undici's connector, uPlot's files…).
const required = /(?:\brequire\d*|\.resolve|\))\(\s*"((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^"]*)?"\s*\)/g;
for (const out of result.outputFiles) {
  for (const m of out.text.matchAll(required)) if (!isBuiltin(m[1]) && !m[1].startsWith('@novaload/')) imported.add(m[1]);
}

const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
const pins = new Map();
for (const dir of [root, ...workspace]) {
  const p = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  for (const [name, version] of Object.entries({ ...p.dependencies, ...p.devDependencies })) if (!String(version).startsWith('workspace:')) pins.set(name, version);
}
const declared = pkg.dependencies ?? {};
const problems = [];
for (const name of [...imported].sort()) {
  if (!(name in declared)) problems.push(`the bundle loads "${name}": add "${name}": "${pins.get(name) ?? '<exact version>'}" to packages/novaload/package.json dependencies`);
  else if (pins.get(name) !== declared[name]) problems.push(`"${name}" is ${declared[name]} in packages/novaload/package.json but the workspace pins ${pins.get(name) ?? 'no version'}`);
}
for (const name of Object.keys(declared)) if (!imported.has(name)) problems.push(`"${name}" is a dependency the bundle never loads: remove it from packages/novaload/package.json`);
if (problems.length > 0) fail(problems.join('\n'));

/**
 * Make `dir` hold exactly `files` (name relative to dir → content), writing
 * only what differs and removing the rest: the end-to-end tests run this
 * bundle while one of them packs it again, and an unchanged file is then
 * never missing or half-written for a process starting at that moment.
 */
async function sync(dir, files) {
  let written = 0;
  for (const [name, content] of files) if (await writeIfChanged(join(dir, name), content)) written++;
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if (!files.has(name) && (await stat(path)).isFile()) await rm(path);
  }
  return written;
}

/** Write `content` to `path` unless it already holds it, through a rename so no reader sees half a file; whether it wrote. */
async function writeIfChanged(path, content) {
  const old = await readFile(path).catch(() => undefined);
  if (old !== undefined && Buffer.compare(old, content) === 0) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
  return true;
}

async function filesUnder(dir) {
  const files = new Map();
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) files.set(name, await readFile(path));
  }
  return files;
}

const dist = new Map(result.outputFiles.map((f) => [relative(join(pkgDir, 'dist'), f.path), Buffer.from(f.contents)]));
const written = await sync(join(pkgDir, 'dist'), dist);
await sync(join(pkgDir, 'scenarios'), await filesUnder(join(root, 'scenarios')));
await writeIfChanged(join(pkgDir, 'README.md'), await readFile(join(root, 'README.md')));
// When the bundle was last made from the workspace's build (test/helpers/cli.ts refuses a bundle older than that build).
await writeFile(join(pkgDir, '.bundled'), `${new Date().toISOString()}\n`);
process.stderr.write(`bundle: dist/ (${dist.size} files, ${written} changed), ${imported.size} dependencies: ${[...imported].sort().join(', ')}\n`);
