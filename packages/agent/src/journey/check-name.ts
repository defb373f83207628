/**
 * The stable, readable name of a check (`json $.token exists`, `body
 * contains "welcome"`, `header content-type matches "json"`): the key of its
 * counts in snapshots, in the report's checks table and in the controller's
 * list of names a snapshot may carry. Values are quoted as JSON, and shown
 * as written (a template stays a template, never its value).
 */
import type { ResolvedCheck } from '../scenario.js';

/** The name of `check`, the same on the controller and on every share. */
export function checkName(check: ResolvedCheck): string {
  const subject = check.on === 'body' ? 'body' : `${check.on} ${check.target}`;
  if (check.op === 'exists') return `${subject} ${check.value === false ? 'does not exist' : 'exists'}`;
  return `${subject} ${check.op} ${JSON.stringify(check.value)}`;
}
