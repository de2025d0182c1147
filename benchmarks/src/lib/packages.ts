import { UnavailableError } from './child';

/**
 * Loads one of our packages at run time and checks it exports what a section uses. A package that
 * is not built yet (or does not export the API yet) raises `UnavailableError`: the full run fails
 * loudly on it, the quick run reports it and goes on. The harness is compiled without the
 * packages' types on purpose, so it builds while a package is being written.
 */
export function loadPackage<T>(name: string, exportsNeeded: readonly string[]): T {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(name) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(name)) {
      throw new UnavailableError(`${name} is not built (no dist): run \`nx run-many -t build\` first`);
    }
    throw error;
  }
  const missing = exportsNeeded.filter((key) => mod[key] === undefined);
  if (missing.length > 0) {
    throw new UnavailableError(`${name} does not export ${missing.join(', ')} (not built, or not written yet)`);
  }
  return mod as T;
}
