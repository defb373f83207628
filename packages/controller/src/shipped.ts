/**
 * Files novaload ships beside its code (the runbook profiles and the JSON
 * Schema under scenarios/). Their place relative to the running module
 * differs between the workspace (packages/controller/dist/src/…, with
 * scenarios/ at the repository root) and the published package (one bundle
 * in dist/, with scenarios/ at the package root), so they are found by
 * walking up from this module to the nearest directory that holds
 * scenarios/schema.json: the package's own copy is always the nearest.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = join('scenarios', 'schema.json');

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, MARK))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`novaload's shipped scenarios (${MARK}) are missing above ${fileURLToPath(import.meta.url)}: the installation is incomplete`);
}

let root: string | undefined;

/** Absolute path of a shipped file, e.g. shippedFile('scenarios/normal.json'). */
export function shippedFile(relative: string): string {
  root ??= findRoot();
  return join(root, relative);
}
