import { PaymntValidationError } from '../errors/validation.error';
import { RECURRING_DETAILS_TYPES } from '../models/mandate';
import { assertAmount, assertCurrency, assertId, assertInteger, assertParams, assertString, isPlainObject } from './validators';

const FUTURE_USAGES = ['on_session', 'off_session'];
const ACCEPTANCE_TYPES = ['online', 'offline'];
const MANDATE_STATUSES = ['active', 'inactive', 'pending', 'revoked'];

function assertOneOf(value: unknown, field: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new PaymntValidationError(field, `must be one of ${allowed.map((v) => `"${v}"`).join(', ')}`);
  }
}

/** `CustomerAcceptance`: `online` details are required when the acceptance was online (HS's rule). */
export function assertCustomerAcceptance(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!isPlainObject(value)) throw new PaymntValidationError(field, 'must be an object');
  if (value.acceptance_type === undefined) throw new PaymntValidationError(`${field}.acceptance_type`, 'is required');
  assertOneOf(value.acceptance_type, `${field}.acceptance_type`, ACCEPTANCE_TYPES);
  if (value.accepted_at !== null) assertString(value.accepted_at, `${field}.accepted_at`);
  const online = value.online;
  if (online === undefined || online === null) {
    if (value.acceptance_type === 'online') throw new PaymntValidationError(`${field}.online`, 'is required when acceptance_type is "online"');
    return;
  }
  if (!isPlainObject(online)) throw new PaymntValidationError(`${field}.online`, 'must be an object');
  for (const key of ['ip_address', 'user_agent']) {
    if (typeof online[key] !== 'string') throw new PaymntValidationError(`${field}.online.${key}`, 'must be a string');
  }
}

/** `RecurringDetails`: `{ type: 'mandate_id' | 'payment_method_id', data: <id> }`. */
export function assertRecurringDetails(value: unknown, field = 'recurring_details'): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) throw new PaymntValidationError(field, 'must be an object { type, data }');
  assertOneOf(value.type ?? null, `${field}.type`, RECURRING_DETAILS_TYPES);
  assertId(value.data, `${field}.data`, true);
}

function assertMandateAmountData(value: unknown, field: string): void {
  if (!isPlainObject(value)) throw new PaymntValidationError(field, 'must be an object');
  assertAmount(value.amount, `${field}.amount`, 0, true);
  assertCurrency(value.currency, `${field}.currency`, true);
  assertString(value.start_date ?? undefined, `${field}.start_date`);
  assertString(value.end_date ?? undefined, `${field}.end_date`);
}

function assertMandateData(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isPlainObject(value)) throw new PaymntValidationError('mandate_data', 'must be an object');
  assertCustomerAcceptance(value.customer_acceptance, 'mandate_data.customer_acceptance');
  const type = value.mandate_type;
  if (type === undefined || type === null) return;
  if (!isPlainObject(type)) throw new PaymntValidationError('mandate_data.mandate_type', 'must be { single_use } or { multi_use }');
  if ('single_use' in type) assertMandateAmountData(type.single_use, 'mandate_data.mandate_type.single_use');
  else if ('multi_use' in type) {
    if (type.multi_use !== null) assertMandateAmountData(type.multi_use, 'mandate_data.mandate_type.multi_use');
  } else throw new PaymntValidationError('mandate_data.mandate_type', 'must be { single_use } or { multi_use }');
}

/**
 * The saved-card and mandate fields of a PaymentsRequest, with the API's rules that the client can
 * judge alone: a merchant-initiated charge (`recurring_details` or `mandate_id`) is `off_session`
 * and confirmed at once for a customer; saving a card needs a customer.
 */
export function assertRecurringFields(p: Record<string, unknown>, kind: 'create' | 'update' | 'confirm'): void {
  assertOneOf(p.setup_future_usage, 'setup_future_usage', FUTURE_USAGES);
  assertCustomerAcceptance(p.customer_acceptance, 'customer_acceptance');
  assertRecurringDetails(p.recurring_details);
  assertId(p.mandate_id, 'mandate_id');
  assertMandateData(p.mandate_data);
  const recurring = p.recurring_details !== undefined || p.mandate_id !== undefined;
  if (p.recurring_details !== undefined && p.mandate_id !== undefined) {
    throw new PaymntValidationError('mandate_id', 'cannot be sent with recurring_details: give one of them');
  }
  if (recurring && p.mandate_data !== undefined && p.mandate_data !== null) {
    throw new PaymntValidationError('mandate_data', 'cannot be sent with recurring_details or mandate_id: a payment creates a mandate or charges one');
  }
  if (recurring && p.payment_token !== undefined) {
    throw new PaymntValidationError('payment_token', 'cannot be sent with recurring_details or mandate_id');
  }
  if (kind === 'update') return;
  if (recurring && p.off_session !== true) throw new PaymntValidationError('off_session', 'must be true when charging a saved method (recurring_details or mandate_id)');
  if (p.off_session === true && !recurring && p.setup_future_usage === undefined) {
    throw new PaymntValidationError('recurring_details', 'is required with off_session: true (the saved method or mandate to charge)');
  }
  if (kind !== 'create') return;
  const customerId = p.customer_id ?? (isPlainObject(p.customer) ? p.customer.id : undefined);
  if (recurring && p.confirm !== true) throw new PaymntValidationError('confirm', 'must be true when charging a saved method (recurring_details or mandate_id)');
  if (recurring && customerId === undefined) throw new PaymntValidationError('customer_id', 'is required when charging a saved method');
  if (p.setup_future_usage !== undefined && customerId === undefined) throw new PaymntValidationError('customer_id', 'is required with setup_future_usage');
}

export function assertMandateList(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  assertInteger(p.limit, 'limit', 1, 2 ** 31 - 1);
  assertInteger(p.offset, 'offset', 0, 2 ** 31 - 1);
  assertOneOf(p.mandate_status, 'mandate_status', MANDATE_STATUSES);
  assertString(p.connector, 'connector');
  for (const key of ['created_time', 'created_time.lt', 'created_time.gt', 'created_time.lte', 'created_time.gte']) assertString(p[key], key);
}
