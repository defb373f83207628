/**
 * A safety net against load on the wrong host: a scenario may list the hosts
 * it is allowed to load (`allowHosts`), and cloud metadata endpoints are
 * refused unless named there explicitly — before any connection is made.
 */
import { allowListNames, hostOf, isMetadataHost } from '@novaload/agent';
import { jsonPath, type ProblemList } from './problems.js';

/**
 * Check the target host (from the file or `--target`, named by `where`)
 * against the scenario's allow-list and the metadata rule, both in canonical
 * form (so [::ffff:169.254.169.254] is the metadata address it spells).
 */
export function checkTargetHost(problems: ProblemList, where: string, target: string, allowHosts: (string | undefined)[] | undefined): void {
  const host = hostOf(target);
  // Items the schema refused (not strings) are holes here, already reported at their index.
  const allowed = allowHosts?.filter((h): h is string => h !== undefined);
  const named = allowListNames(allowed, host);
  if (allowed && !named) {
    problems.add(where, `target host "${host}" is not in allowHosts (${allowed.join(', ')})`, `add "${host}" to "allowHosts" if this host may be loaded`);
  } else if (!named && isMetadataHost(host)) {
    problems.add(where, `"${host}" is a cloud metadata address, refused by default`, `name "${host}" in "allowHosts" if you really mean to load it`);
  }
}

/** Where the target came from, for the problem's path. */
export function targetWhere(fromOverride: boolean): string {
  return fromOverride ? '--target' : jsonPath('target');
}
