import { PaymntValidationError } from '../errors/validation.error';

/**
 * Serializes GET parameters to `?k=v&...` (or `''`), percent-encoding keys and values. Keys such
 * as `created.lt` are kept literally, as the API expects. Only strings, numbers and booleans are
 * accepted; `undefined` entries are skipped.
 */
export function toQueryString(params: Record<string, unknown> | undefined, field: string): string {
  if (params === undefined) return '';
  let query = '';
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new PaymntValidationError(field ? `${field}.${key}` : key, 'must be a string, number or boolean');
    }
    query += `${query ? '&' : '?'}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return query;
}
