/**
 * `--tag k=v` (repeatable): labels put on every live series (/metrics,
 * remote write), as k6's `--tag testid=…` lets one Grafana dashboard tell
 * runs apart. A name Prometheus would refuse, or one novaload's own labels
 * use, is invalid input (104) naming the flag.
 */
import { CliError, EXIT } from '../exit-codes.js';
import { LABELS } from '../live/k6-names.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The tags of the command line, by name; the last one wins when a name is given twice. */
export function tagFlags(values: readonly unknown[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const raw of values ?? []) {
    const text = String(raw);
    const at = text.indexOf('=');
    const name = at > 0 ? text.slice(0, at) : '';
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new CliError(`--tag "${text}" is not name=value with a Prometheus label name (letters, digits, _; not starting with a digit or __), e.g. --tag testid=release-42`, EXIT.invalidInput);
    }
    if (Object.values(LABELS).includes(name as never)) throw new CliError(`--tag ${name}=… : "${name}" is a label novaload sets itself; choose another name`, EXIT.invalidInput);
    tags[name] = text.slice(at + 1);
  }
  return tags;
}
