/**
 * The User-Agent every request carries unless the scenario sets its own:
 * a target's logs and rate limiters can then tell load-test traffic from
 * real users (k6 sends `k6/<version>`, autocannon and wrk their own). Read
 * from this package's package.json once, when the module loads, so no
 * request pays for it.
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** `novaload/<version>` of the agent package that sends the requests. */
export const USER_AGENT = `novaload/${pkg.version}`;
