import { PaymntValidationError } from '../errors/validation.error';
import { EVENT_CLASSES } from '../models/webhook-delivery';
import { EVENT_TYPES } from '../models/webhook-event';
import { assertBoolean, assertId, assertInteger, assertParams } from './validators';

/** What the API parses as a date-time (UTC or with an offset). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function assertDateTime(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value.replace(' ', 'T')))) {
    throw new PaymntValidationError(field, 'must be an ISO-8601 date-time such as "2024-01-15T10:11:12.123Z"');
  }
}

function assertEnumList(value: unknown, field: string, known: readonly string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new PaymntValidationError(field, 'must be an array');
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'string' || !known.includes(item)) throw new PaymntValidationError(`${field}[${index}]`, `must be one of ${known.join(', ')}`);
  });
}

export function assertEventList(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  assertDateTime(p.created_after, 'created_after');
  assertDateTime(p.created_before, 'created_before');
  // The API takes 0..100 (u16 above 100 is refused).
  assertInteger(p.limit, 'limit', 0, 100);
  assertInteger(p.offset, 'offset', 0, 65_535);
  assertId(p.object_id, 'object_id');
  assertId(p.event_id, 'event_id');
  assertId(p.profile_id, 'profile_id');
  assertEnumList(p.event_classes, 'event_classes', EVENT_CLASSES);
  assertEnumList(p.event_types, 'event_types', EVENT_TYPES);
  assertBoolean(p.is_delivered, 'is_delivered');
  // The API answers 400 IR_16 to this mix; saying so locally names the fields.
  const single = p.object_id !== undefined ? 'object_id' : p.event_id !== undefined ? 'event_id' : undefined;
  const generic = ['created_after', 'created_before', 'limit', 'offset', 'event_classes', 'event_types'].find((k) => p[k] !== undefined);
  if (single !== undefined && generic !== undefined) {
    throw new PaymntValidationError(single, `is a lookup of its own and cannot be combined with ${generic}`);
  }
}
