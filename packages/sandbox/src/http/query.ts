import { QueryError } from './api-error';
import { oneOf } from './deserialize';

export type QueryFieldType = 'string' | 'bool' | 'u32' | 'datetime';

/** Parses an ISO-8601 date-time as HS's `iso8601` serde does (a missing offset means UTC). */
export function parseDateTime(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  if (!m) return undefined;
  const zone = m[8] ?? 'Z';
  const frac = m[7] ? m[7].slice(0, 4).padEnd(4, '0') : '.000';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${frac}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * serde_urlencoded-style query parsing: typed fields, duplicate and (optionally) unknown fields
 * rejected, with actix's plain-text `Query deserialize error: …` on failure.
 */
export function parseQuery(
  params: URLSearchParams,
  fields: Record<string, QueryFieldType>,
  denyUnknown: boolean,
): Record<string, string | boolean | number | undefined> {
  const out: Record<string, string | boolean | number | undefined> = {};
  const seen = new Set<string>();
  const names = Object.keys(fields);
  for (const [key, value] of params) {
    const type = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
    if (!type) {
      if (denyUnknown) throw new QueryError(`unknown field \`${key}\`, ${oneOf(names)}`);
      continue;
    }
    if (seen.has(key)) throw new QueryError(`duplicate field \`${key}\``);
    seen.add(key);
    switch (type) {
      case 'string':
        out[key] = value;
        break;
      case 'bool':
        if (value !== 'true' && value !== 'false') throw new QueryError('provided string was not `true` or `false`');
        out[key] = value === 'true';
        break;
      case 'u32': {
        if (value === '') throw new QueryError('cannot parse integer from empty string');
        if (!/^\+?\d+$/.test(value)) throw new QueryError('invalid digit found in string');
        const n = Number(value.replace(/^\+/, ''));
        if (n > 4294967295) throw new QueryError('number too large to fit in target type');
        out[key] = n;
        break;
      }
      case 'datetime': {
        const ms = parseDateTime(value);
        if (ms === undefined) throw new QueryError(`invalid value: string ${JSON.stringify(value)}, expected an ISO 8601 date-time`);
        out[key] = ms;
        break;
      }
    }
  }
  return out;
}
