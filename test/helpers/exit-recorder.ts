/**
 * Preloaded (NODE_OPTIONS=--import) into every node process of a wrapped
 * run (npx, pnpm, novaload): records novaload's own exit code in the file
 * NOVALOAD_TEST_EXIT_FILE names. Under a wrapper that dies of the signal
 * itself (pnpm does), the wrapper's status is all the parent sees otherwise.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.NOVALOAD_TEST_EXIT_FILE;
if (file && isMainThread && /novaload\.js$/.test(process.argv[1] ?? '')) {
  process.on('exit', (code) => writeFileSync(file, String(code)));
}
