/**
 * Where the CI examples' tests find `novaload` on PATH. The one place that
 * knows which novaload that is: the bundle the npm package ships (BIN of
 * cli.ts), run by the node running the tests; pointing it at an installed
 * package (npm i -g novaload) changes this file only.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

let dir: Promise<string> | undefined;

/** A directory holding an executable `novaload` that runs the shipped bundle with this node; made once per process. */
export function novaloadPath(): Promise<string> {
  return (dir ??= (async () => {
    const d = await mkdtemp(join(tmpdir(), 'novaload-bin-'));
    const shim = join(d, 'novaload');
    await writeFile(shim, `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
    await chmod(shim, 0o755);
    return d;
  })());
}
