/**
 * A Dockerfile read as its build stages and instructions (continuation
 * lines joined, comments dropped), so tests can check the recipe and run
 * its commands against the real package layout where no Docker engine runs.
 */
import { readFile } from 'node:fs/promises';

export interface Instruction {
  op: string;
  arg: string;
}

export interface Stage {
  /** The base image of `FROM image [AS name]`. */
  from: string;
  name?: string;
  steps: Instruction[];
}

export async function readDockerfile(path: string): Promise<Stage[]> {
  const lines = (await readFile(path, 'utf8'))
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, arg] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op === undefined || arg === undefined) throw new Error(`${path}: cannot read "${line}"`);
    if (op.toUpperCase() === 'FROM') {
      const [from, as, name] = arg.split(/\s+/);
      stages.push({ from: from!, ...(as?.toUpperCase() === 'AS' && name && { name }), steps: [] });
    } else if (stages.length === 0) throw new Error(`${path}: ${op} before FROM`);
    else stages.at(-1)!.steps.push({ op: op.toUpperCase(), arg });
  }
  return stages;
}

/** The arguments of every `op` in a stage, in order. */
export function argsOf(stage: Stage, op: string): string[] {
  return stage.steps.filter((s) => s.op === op).map((s) => s.arg);
}
