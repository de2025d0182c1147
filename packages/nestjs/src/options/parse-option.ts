import type { z } from 'zod';
import { PaymntConfigurationError } from '../errors/paymnt-configuration.error';

/**
 * Messages of the rules that do not give one (every rule of the options schema does): value-free,
 * and given per parse so that a global `z.config()` of the app cannot change them.
 */
function valueFreeMessage(issue: z.core.$ZodRawIssue): string {
  return issue.code === 'invalid_type' ? `must be ${issue.expected}` : 'is not valid';
}

/** `webhook.intake.attempts`. A list is named as a whole: `reconciliation.statuses`, not `reconciliation.statuses.1`. */
function optionName(option: string | undefined, path: readonly PropertyKey[]): string {
  const index = path.findIndex((key) => typeof key === 'number');
  const names = [option, ...(index === -1 ? path : path.slice(0, index)).map(String)].filter((name) => name !== undefined);
  return names.length === 0 ? 'options' : names.join('.');
}

/**
 * Validates `value` against `schema` and returns its result (defaults applied). Otherwise throws a
 * `PaymntConfigurationError` for the first problem (an unknown key before the others), naming the
 * option by its path (under `option`, if given) with the rule's message: never the rejected
 * value, so a secret cannot leak.
 */
export function parseOption<S extends z.ZodType>(schema: S, value: unknown, option?: string): z.output<S> {
  const result = schema.safeParse(value, { error: valueFreeMessage });
  if (result.success) return result.data;
  // A misspelt key first: it is often why a required option looks missing (`secrets` for `secret`).
  const issue = result.error.issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const [first, ...others] = issue.keys;
    const alsoUnknown = others.length === 0 ? '' : ` (nor ${others.map((key) => `"${key}"`).join(', ')})`;
    throw new PaymntConfigurationError(optionName(option, [...issue.path, first]), `is not a known option${alsoUnknown}`);
  }
  throw new PaymntConfigurationError(optionName(option, issue.path), issue.message);
}
