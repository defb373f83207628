/**
 * Setup before the load and teardown after it, on the controller
 * (journey/once.ts sends them). A failed setup request means no load is
 * sent: exit 107, naming the request and its response status. Teardown runs
 * whatever ended the load (its end, a signal, an abort, an error).
 */
import { runOnce, type ResolvedScenario } from '@novaload/agent';
import type { PhaseEntry } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';

/** What the setup did: its entries for the report, and the scenario the shares run (with `setup.*` values, without the phases). */
export interface SetupDone {
  entries: PhaseEntry[] | undefined;
  load: ResolvedScenario;
}

/** Why a phase request failed, in words: its status (or that none came) and its error kind. */
export function failureText(e: PhaseEntry): string {
  const status = e.status === 0 ? 'no response' : `status ${e.status}`;
  return e.error === 'SKIPPED' ? 'not sent: a value it needs is missing' : `${status}, ${e.error}`;
}

/** Run the setup (if any); throws CliError 107 when one of its requests fails. */
export async function runSetup(scenario: ResolvedScenario): Promise<SetupDone> {
  const { setup, teardown: _teardown, ...load } = scenario;
  if (setup === undefined) return { entries: undefined, load };
  const { entries, values } = await runOnce(scenario, setup, {});
  const failed = entries.find((e) => !e.ok);
  if (failed !== undefined) {
    throw new CliError(
      `setup request "${failed.name}" failed (${failureText(failed)}): no load was sent (scenario "${scenario.name}"; check the setup's credentials and expect, e.g. --env values)`,
      EXIT.couldNotStart,
    );
  }
  return { entries, load: { ...load, setupValues: values } };
}

/** Run the teardown (if any) with the setup's values; a failure is reported, never thrown. */
export async function runTeardown(scenario: ResolvedScenario, setupValues: Record<string, unknown>, warn: (line: string) => void): Promise<PhaseEntry[] | undefined> {
  if (scenario.teardown === undefined) return undefined;
  try {
    const { entries } = await runOnce(scenario, scenario.teardown, setupValues);
    const failed = entries.find((e) => !e.ok);
    if (failed !== undefined) warn(`novaload: teardown request "${failed.name}" failed (${failureText(failed)}); the later teardown requests were not sent`);
    return entries;
  } catch (err) {
    warn(`novaload: teardown failed: ${(err as Error).message}`);
    return [];
  }
}
