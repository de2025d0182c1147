import { PaymntValidationError } from '../errors/validation.error';
import { DISPUTE_STAGES, DISPUTE_STATUSES, EVIDENCE_TYPES } from '../models/dispute';
import { parseIsoTime } from '../webhooks/parse-iso-time';
import { assertId, assertInteger, assertParams, assertString } from './validators';

/** The query keys `GET /disputes/list` accepts: the API refuses any other (deny_unknown_fields). */
const LIST_KEYS = new Set([
  'limit',
  'dispute_status',
  'dispute_stage',
  'reason',
  'connector',
  'received_time',
  'received_time.lt',
  'received_time.gt',
  'received_time.lte',
  'received_time.gte',
]);
const TIME_KEYS = ['received_time', 'received_time.lt', 'received_time.gt', 'received_time.lte', 'received_time.gte'] as const;
const SUBMIT_TEXT_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'product_description',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_tracking_number',
  'uncategorized_text',
] as const;
/** A file name or type placed in a multipart header: no quotes, no line breaks. */
const HEADER_SAFE = /^[^"\r\n]{1,255}$/;

function assertOneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new PaymntValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
}

export function assertDisputeList(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (p[key] !== undefined && !LIST_KEYS.has(key)) throw new PaymntValidationError(`params.${key}`, 'is not a filter of GET /disputes/list');
  }
  assertInteger(p.limit, 'limit', 1, 4_294_967_295);
  assertOneOf(p.dispute_status, 'dispute_status', DISPUTE_STATUSES);
  assertOneOf(p.dispute_stage, 'dispute_stage', DISPUTE_STAGES);
  assertString(p.reason, 'reason', 255);
  assertString(p.connector, 'connector', 64);
  for (const key of TIME_KEYS) {
    const value = p[key];
    if (value !== undefined && (typeof value !== 'string' || Number.isNaN(parseIsoTime(value)))) {
      throw new PaymntValidationError(key, 'must be an ISO-8601 date-time such as "2024-01-15T10:11:12Z"');
    }
  }
}

export function assertSubmitEvidence(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  assertId(p.dispute_id, 'dispute_id', true);
  // Evidence files are referenced by the ids attachEvidence returned.
  for (const type of EVIDENCE_TYPES) if (p[type] !== null) assertId(p[type], type);
  for (const key of SUBMIT_TEXT_FIELDS) if (p[key] !== null) assertString(p[key], key, 20_000);
}

export function assertAttachEvidence(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  assertId(p.dispute_id, 'dispute_id', true);
  if (p.evidence_type === undefined) throw new PaymntValidationError('evidence_type', 'is required');
  assertOneOf(p.evidence_type, 'evidence_type', EVIDENCE_TYPES);
  if (!(p.file instanceof Uint8Array) || p.file.length === 0) throw new PaymntValidationError('file', 'must be a non-empty Uint8Array (or Buffer) of the file bytes');
  for (const key of ['file_name', 'file_content_type'] as const) {
    if (p[key] !== undefined && (typeof p[key] !== 'string' || !HEADER_SAFE.test(p[key]))) {
      throw new PaymntValidationError(key, 'must be 1 to 255 characters without quotes or line breaks');
    }
  }
}

export function assertDeleteEvidence(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  assertId(p.dispute_id, 'dispute_id', true);
  if (p.evidence_type === undefined) throw new PaymntValidationError('evidence_type', 'is required');
  assertOneOf(p.evidence_type, 'evidence_type', EVIDENCE_TYPES);
}
