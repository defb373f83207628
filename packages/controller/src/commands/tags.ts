/**
 * `--tag k=v` (repeatable), k6's test-wide tags: labels on every series a
 * run exports, `testid` first among them (the k6 dashboards filter on it).
 * A key must be a Prometheus label name, since that is where tags go, and
 * not one of the labels novaload sets itself.
 */
import { CliError, EXIT } from '../exit-codes.js';
import { OWN_LABELS } from '../live/k6-names.js';

/** What a Prometheus label name may be: letters, digits and "_", not starting with a digit; "__" begins reserved names. */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` may be a label of a pushed series. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

/** The tags of `--tag` values, in order (a repeated key: the last wins); a malformed one is invalid input. */
export function parseTags(values: readonly string[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const v of values ?? []) {
    const at = v.indexOf('=');
    const key = at < 0 ? v : v.slice(0, at);
    if (at <= 0) throw new CliError(`--tag "${v}" is not a tag: write key=value, e.g. --tag testid=release-42`, EXIT.invalidInput);
    if (!isLabelName(key)) throw new CliError(`--tag "${v}": "${key}" cannot be a label name: use letters, digits and "_", not starting with a digit or "__"`, EXIT.invalidInput);
    if ((OWN_LABELS as readonly string[]).includes(key)) throw new CliError(`--tag ${key}=… : "${key}" is a label novaload sets itself (${OWN_LABELS.join(', ')}); choose another name`, EXIT.invalidInput);
    tags[key] = v.slice(at + 1);
  }
  return tags;
}
