/**
 * Error kinds that are the load generator's own failures, not the target's:
 * it ran out of file descriptors (EMFILE for the process, ENFILE for the
 * whole system) or of local addresses and ports (EADDRNOTAVAIL). The target
 * never saw those requests, so the report counts them apart and says so,
 * instead of letting them pass for the target's errors.
 */

/** The kinds counted as generator errors. */
export const GENERATOR_ERROR_KINDS: readonly string[] = ['EMFILE', 'ENFILE', 'EADDRNOTAVAIL'];

/** Whether an error kind is the generator's own failure. */
export function isGeneratorError(kind: string): boolean {
  return GENERATOR_ERROR_KINDS.includes(kind);
}

/** How many of `errors` ({kind: count}) are generator errors. */
export function generatorErrorCount(errors: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const [kind, count] of Object.entries(errors)) if (isGeneratorError(kind)) n += count;
  return n;
}

/** The text summary's warning for generator errors, or null when there were none. */
export function generatorErrorWarning(errors: Readonly<Record<string, number>>): string | null {
  const n = generatorErrorCount(errors);
  if (n === 0) return null;
  const kinds = Object.entries(errors)
    .filter(([kind]) => isGeneratorError(kind))
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(', ');
  return (
    `WARNING: ${n} failed request(s) are generator errors (${kinds}): the load generator ran out of file descriptors or local ports, ` +
    'the target never saw them. Raise ulimit -n, use fewer VUs or a connection pool (http.connections), or spread the load over more agents.'
  );
}
