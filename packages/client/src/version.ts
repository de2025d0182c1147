/**
 * The package version, sent in the `User-Agent` header. Kept as a constant (not read from
 * package.json at runtime) so it survives bundling; `version.spec.ts` checks the two agree.
 */
export const VERSION = '0.1.0';
