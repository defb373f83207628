/**
 * `--env NAME=VALUE` (repeatable, on run, validate and demo): values for
 * `{{ env.NAME }}` over the controller's own environment. A value may be a
 * secret, so a mistake names the flag's position and the name, never the value.
 */
import type { Args } from '../cli.js';
import { CliError, EXIT } from '../exit-codes.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment templates see: the controller's, with every --env on top (a later one wins). */
export function templateEnv(args: Args, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const given = args.env === undefined ? [] : ([] as unknown[]).concat(args.env);
  const out: Record<string, string | undefined> = { ...env };
  given.forEach((item, i) => {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq < 0) throw new CliError(`--env #${i + 1} has no "=": write --env NAME=VALUE`, EXIT.invalidInput);
    const name = text.slice(0, eq);
    if (!NAME.test(name)) throw new CliError(`--env #${i + 1}: ${JSON.stringify(name.slice(0, 64))} is not a variable name (letters, digits and _, not first a digit)`, EXIT.invalidInput);
    out[name] = text.slice(eq + 1);
  });
  return out;
}
