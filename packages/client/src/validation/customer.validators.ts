import { PaymntValidationError } from '../errors/validation.error';
import { assertId, assertInteger, assertParams, assertString, isPlainObject } from './validators';

/** The API's text fields on a customer are at most 255 characters. */
const MAX_TEXT = 255;
/** HS's `validate_email`: the whole address, then the pattern below. */
const MAX_EMAIL = 319;
// Hyperswitch's email rule (common_utils::validation::validate_email), case-insensitive.
const EMAIL_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const TEXT_FIELDS = ['name', 'phone', 'phone_country_code', 'description', 'tax_registration_id'] as const;
const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'line3', 'zip', 'state', 'first_name', 'last_name', 'origin_zip'] as const;

/** `null` means "not given" to the API, so it passes like `undefined`. */
function assertOptionalText(value: unknown, field: string, maxLength: number): void {
  if (value !== null) assertString(value, field, maxLength);
}

function assertEmail(value: unknown): void {
  if (value === undefined || value === null) return;
  assertString(value, 'email', MAX_TEXT);
  const email = value as string;
  // HS lets its own redaction marker through; anything else must look like an address.
  if (email === 'Redacted') return;
  if (email.length === 0 || email.length > MAX_EMAIL || !EMAIL_PATTERN.test(email)) {
    throw new PaymntValidationError('email', 'must be an email address such as "jo@example.com"');
  }
}

function assertAddress(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isPlainObject(value)) throw new PaymntValidationError('address', 'must be an object');
  for (const key of ADDRESS_FIELDS) assertOptionalText(value[key], `address.${key}`, MAX_TEXT);
}

function assertCustomerFields(p: Record<string, unknown>): void {
  for (const key of TEXT_FIELDS) assertOptionalText(p[key], key, MAX_TEXT);
  assertEmail(p.email);
  assertAddress(p.address);
  if (p.metadata !== undefined && p.metadata !== null && !isPlainObject(p.metadata)) {
    throw new PaymntValidationError('metadata', 'must be an object');
  }
}

export function assertCustomerCreate(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  assertId(p.customer_id, 'customer_id');
  assertCustomerFields(p);
}

export function assertCustomerUpdate(params: unknown): void {
  assertParams(params, 'params', false);
  const p = params as Record<string, unknown>;
  // The id is the path's: a body `customer_id` would be refused by the API as an unknown field.
  if (p.customer_id !== undefined) throw new PaymntValidationError('customer_id', 'cannot be changed: pass the id as the first argument');
  assertCustomerFields(p);
}

export function assertCustomerList(params: unknown): void {
  assertParams(params, 'params', true);
  if (params === undefined) return;
  const p = params as Record<string, unknown>;
  // The API reads `limit` as u16 and `offset` as u32; 0 items per page would never end a `for await`.
  assertInteger(p.limit, 'limit', 1, 65_535);
  assertInteger(p.offset, 'offset', 0, 4_294_967_295);
}
