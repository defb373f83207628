/**
 * novaload's version, one constant for the User-Agent and `--version`. A
 * constant, not a read of package.json: the published package is bundled
 * (packages/novaload), where no package.json sits at the path a module of
 * the workspace would look. test/version.test.ts checks it equals the
 * version of every package.json, so a release bumps them together.
 */
export const VERSION = '0.1.0';
