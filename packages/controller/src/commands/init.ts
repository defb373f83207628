/**
 * `novaload init <url> [--yaml] [--name N] [--out FILE [--force]]`: a
 * starter scenario for one URL, like k6's `k6 new`: printed (or written to
 * FILE, never over an existing one without --force), valid as it stands,
 * judged by the runbook's KPI levels, so a first run is one command away.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Args } from '../cli.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { resolveScenario } from '../scenario/index.js';
import { isYamlFile, yamlLib } from '../scenario/yaml.js';
import { nameForUrl } from '../scenario/url-name.js';
import { RUNBOOK_KPI_THRESHOLDS } from '../scenario/kpi.js';

/**
 * Where the schema is for a project that installed novaload locally (the
 * package ships scenarios/schema.json at its root), relative to a scenario
 * written at the project's root: editors resolve it with no network.
 */
export const INSTALLED_SCHEMA = './node_modules/novaload/scenarios/schema.json';

export async function initCommand(args: Args, io: Io): Promise<number> {
  const out = args.out === undefined ? undefined : String(args.out);
  if (args.yaml === true && out !== undefined && !isYamlFile(out)) {
    throw new CliError(`--yaml writes YAML, but ${out} would be read as JSON: name it .yaml or .yml, or drop --yaml`, EXIT.invalidInput);
  }
  const scenario = starterScenario(String(args.url), args.name === undefined ? undefined : String(args.name));
  // The starter must pass the checks `run` makes; a bad --name is found here, before any file is written.
  resolveScenario(scenario, 'novaload init', {}, {});
  const yaml = args.yaml === true || (out !== undefined && isYamlFile(out));
  const text = yaml ? `# yaml-language-server: $schema=${INSTALLED_SCHEMA}\n${yamlLib().stringify(scenario, { version: '1.2' })}` : `${JSON.stringify(scenario, null, 2)}\n`;
  if (out === undefined) {
    io.stdout.write(text);
    return EXIT.ok;
  }
  const path = resolve(io.cwd, out);
  try {
    await writeFile(path, text, { flag: args.force === true ? 'w' : 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliError(`${path} already exists: novaload init does not overwrite it (add --force to replace it)`, EXIT.invalidInput);
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`, EXIT.invalidInput);
  }
  io.stdout.write(`wrote ${path}: check it with \`novaload validate ${out}\`, then \`novaload run ${out}\`\n`);
  return EXIT.ok;
}

/**
 * The starter: a GET of the URL's path (and query) against its origin,
 * 10 VUs for 30 s with a 5 s ramp up and down and a second of think time
 * (k6 new's `sleep(1)`), judged by the runbook's KPI levels.
 */
export function starterScenario(input: string, name?: string): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new CliError(`"${input}" is not a URL: write it whole, e.g. https://staging.example.com/api/health`, EXIT.invalidInput);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`novaload init takes an http:// or https:// URL, not ${url.protocol} (${input})`, EXIT.invalidInput);
  if (url.username !== '' || url.password !== '') {
    throw new CliError(`${url.origin}: credentials in the URL are not written to a scenario file: give the URL without them and put an Authorization header in http.headers (e.g. with {{ env.TOKEN }})`, EXIT.invalidInput);
  }
  const path = `${url.pathname}${url.search}`;
  return {
    $schema: INSTALLED_SCHEMA,
    name: name ?? nameForUrl(url),
    target: url.origin,
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: '5s', target: 10 },
      { duration: '20s', target: 10 },
      { duration: '5s', target: 0 },
    ],
    thinkTime: '1s',
    requests: [{ name: `GET ${url.pathname}`, method: 'GET', path }],
    thresholds: RUNBOOK_KPI_THRESHOLDS,
  };
}
