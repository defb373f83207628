/**
 * The User-Agent every request carries unless the scenario sets its own:
 * a target's logs and rate limiters can then tell load-test traffic from
 * real users (k6 sends `k6/<version>`, autocannon and wrk their own).
 */
import { VERSION } from './version.js';

/** `novaload/<version>` of the agent that sends the requests. */
export const USER_AGENT = `novaload/${VERSION}`;
