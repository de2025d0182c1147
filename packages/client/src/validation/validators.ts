import { PaymntValidationError } from '../errors/validation.error';

/** The API's largest amount in minor units (IR_16 above it). */
export const MAX_AMOUNT = 999_999_999;

/** Merchant-supplied ids (payment_id, refund_id) and every id placed in a URL path. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** Visible ASCII, no spaces: safe as an HTTP header value. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

let currencies: ReadonlySet<string> | undefined;

/** ISO 4217 codes known to Node's ICU (computed once), plus newer codes ICU 78 lacks. */
function knownCurrencies(): ReadonlySet<string> {
  currencies ??= new Set([...Intl.supportedValuesOf('currency'), 'VED']);
  return currencies;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `params` must be an object (or absent when `optional`). */
export function assertParams(value: unknown, field: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!isPlainObject(value)) throw new PaymntValidationError(field, 'must be an object');
}

/** Integer minor units in `min..999999999`. */
export function assertAmount(value: unknown, field: string, min: 0 | 1, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_AMOUNT) {
    throw new PaymntValidationError(field, `must be an integer amount in minor units between ${min} and ${MAX_AMOUNT}`);
  }
}

/** An uppercase, known ISO 4217 currency code. */
export function assertCurrency(value: unknown, field: string, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !CURRENCY_PATTERN.test(value) || !knownCurrencies().has(value)) {
    throw new PaymntValidationError(field, 'must be an uppercase ISO 4217 currency code such as "USD"');
  }
}

/** 1..64 characters of `[A-Za-z0-9_-]`: cannot alter a URL path (`../x`, `a/b`, `?`). */
export function assertId(value: unknown, field: string, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new PaymntValidationError(field, 'must be 1 to 64 characters of letters, digits, "_" or "-"');
  }
}

/** An integer in `min..max`. */
export function assertInteger(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new PaymntValidationError(field, `must be an integer ${range}`);
  }
}

/** A page size of the list endpoints: 1..100. */
export function assertLimit(value: unknown, field = 'limit'): void {
  assertInteger(value, field, 1, 100);
}

export function assertBoolean(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new PaymntValidationError(field, 'must be a boolean');
}

export function assertString(value: unknown, field: string, maxLength?: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new PaymntValidationError(field, 'must be a string');
  if (maxLength !== undefined && value.length > maxLength) {
    throw new PaymntValidationError(field, `must be at most ${maxLength} characters`);
  }
}

/** A value sent as an HTTP header (idempotency key, app info): visible ASCII, bounded length. */
export function assertHeaderToken(value: unknown, field: string, maxLength: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > maxLength || !HEADER_TOKEN.test(value)) {
    throw new PaymntValidationError(field, `must be 1 to ${maxLength} visible ASCII characters without spaces`);
  }
}

const REQUEST_OPTION_KEYS = new Set(['idempotencyKey', 'profileId', 'timeoutMs', 'maxRetries', 'signal']);

/** Checks the per-call `RequestOptions` (the last argument of every resource method). */
export function assertRequestOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) throw new PaymntValidationError('options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!REQUEST_OPTION_KEYS.has(key)) throw new PaymntValidationError(`options.${key}`, 'is not a known request option');
  }
  assertHeaderToken(options.idempotencyKey, 'options.idempotencyKey', 255);
  assertId(options.profileId, 'options.profileId');
  assertInteger(options.timeoutMs, 'options.timeoutMs', 1, 2_147_483_647);
  assertInteger(options.maxRetries, 'options.maxRetries', 0, 100);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new PaymntValidationError('options.signal', 'must be an AbortSignal');
  }
}

/** A validated id, percent-encoded as a second guard, ready to be placed in a URL path. */
export function pathSegment(value: unknown, field: string): string {
  assertId(value, field, true);
  return encodeURIComponent(value as string);
}
