import { PaymntValidationError } from '../errors/validation.error';
import {
  assertAmount,
  assertBoolean,
  assertCurrency,
  assertId,
  assertInteger,
  assertLimit,
  assertParams,
  assertString,
  isPlainObject,
} from './validators';
import { assertRecurringFields } from './mandate.validators';

/** Checks the fields of a PaymentsRequest body (create, update, confirm) the client can judge. */
export function assertPaymentRequest(params: unknown, kind: 'create' | 'update' | 'confirm'): void {
  assertParams(params, 'params', kind === 'confirm');
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  const required = kind === 'create';
  assertAmount(p.amount, 'amount', 0, required);
  assertCurrency(p.currency, 'currency', required);
  assertId(p.payment_id, 'payment_id');
  assertAmount(p.amount_to_capture, 'amount_to_capture', 0);
  assertId(p.customer_id, 'customer_id');
  assertId(p.profile_id, 'profile_id');
  assertBoolean(p.confirm, 'confirm');
  assertBoolean(p.off_session, 'off_session');
  assertInteger(p.session_expiry, 'session_expiry', 60, 7_890_000);
  assertString(p.return_url, 'return_url', 2048);
  assertString(p.description, 'description');
  assertRecurringFields(p, kind);
  if (p.metadata !== undefined && p.metadata !== null && !isPlainObject(p.metadata)) {
    throw new PaymntValidationError('metadata', 'must be an object');
  }
  if (p.customer !== undefined) {
    if (!isPlainObject(p.customer)) throw new PaymntValidationError('customer', 'must be an object');
    assertId(p.customer.id, 'customer.id', true);
  }
  if (p.order_details !== undefined) {
    if (!Array.isArray(p.order_details)) throw new PaymntValidationError('order_details', 'must be an array');
    p.order_details.forEach((item: unknown, index) => {
      if (!isPlainObject(item)) throw new PaymntValidationError(`order_details[${index}]`, 'must be an object');
      assertAmount(item.amount, `order_details[${index}].amount`, 0);
    });
  }
}

export function assertPaymentCapture(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  assertAmount(p.amount_to_capture, 'amount_to_capture', 1);
  assertBoolean(p.refund_uncaptured_amount, 'refund_uncaptured_amount');
}

export function assertPaymentCancel(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  assertString((params as Record<string, unknown>).cancellation_reason, 'cancellation_reason');
}

export function assertIncrementalAuthorization(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  assertAmount(p.amount, 'amount', 1, true);
  assertString(p.reason, 'reason');
}

export function assertPaymentRetrieve(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  for (const flag of ['force_sync', 'expand_attempts', 'expand_captures', 'all_keys_required']) assertBoolean(p[flag], flag);
  assertString(p.client_secret, 'client_secret');
}

export function assertPaymentList(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  assertLimit(p.limit);
  assertId(p.customer_id, 'customer_id');
  assertId(p.starting_after, 'starting_after');
  assertId(p.ending_before, 'ending_before');
  for (const key of ['created', 'created.lt', 'created.gt', 'created.lte', 'created.gte']) assertString(p[key], key);
}
