import { PaymntValidationError } from '../errors/validation.error';
import { assertAmount, assertBoolean, assertCurrency, assertId, assertInteger, assertLimit, assertParams, assertString, isPlainObject } from './validators';

/** A refund `reason` is at most 255 characters. */
const MAX_REASON = 255;

function assertMetadata(value: unknown): void {
  if (value !== undefined && value !== null && !isPlainObject(value)) throw new PaymntValidationError('metadata', 'must be an object');
}

export function assertRefundCreate(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  assertId(p.payment_id, 'payment_id', true);
  assertId(p.refund_id, 'refund_id');
  assertAmount(p.amount, 'amount', 1);
  assertString(p.reason, 'reason', MAX_REASON);
  assertMetadata(p.metadata);
}

export function assertRefundUpdate(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  assertString(p.reason, 'reason', MAX_REASON);
  assertMetadata(p.metadata);
}

export function assertRefundRetrieve(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  assertBoolean((params as Record<string, unknown>).force_sync, 'force_sync');
}

export function assertRefundList(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  assertLimit(p.limit);
  assertInteger(p.offset, 'offset', 0);
  assertId(p.payment_id, 'payment_id');
  assertId(p.refund_id, 'refund_id');
  assertId(p.profile_id, 'profile_id');
  assertString(p.start_time, 'start_time');
  assertString(p.end_time, 'end_time');
  if (p.currency !== undefined) {
    if (!Array.isArray(p.currency)) throw new PaymntValidationError('currency', 'must be an array of ISO 4217 codes');
    p.currency.forEach((code: unknown, index) => assertCurrency(code, `currency[${index}]`, true));
  }
  if (p.amount_filter !== undefined) {
    if (!isPlainObject(p.amount_filter)) throw new PaymntValidationError('amount_filter', 'must be an object');
    assertAmount(p.amount_filter.start_amount, 'amount_filter.start_amount', 0);
    assertAmount(p.amount_filter.end_amount, 'amount_filter.end_amount', 0);
  }
}
