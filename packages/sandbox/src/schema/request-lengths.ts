/**
 * HS's `ValidateSchema` derive (crates/router_derive/src/macros/schema.rs): on `String` and `Url`
 * fields with a `#[schema(min_length, max_length)]`, the route checks the byte length before anything
 * else and answers 422 IR_06 (InvalidRequestData) with the derive's own sentence.
 */
import { ApiError } from '../http/api-error';

/** `PaymentsRequest` (crates/api_models/src/payments.rs): the String / Url fields with a max_length. */
export const PAYMENTS_REQUEST_MAX_LENGTHS: Readonly<Record<string, number>> = {
  return_url: 2048,
  statement_descriptor_name: 255,
  statement_descriptor_suffix: 255,
  mandate_id: 64,
  merchant_order_reference_id: 255,
};

/** Throws HS's IR_06 for the first field (in declaration order) longer than its max_length. */
export function checkMaxLengths(body: Record<string, unknown>, limits: Readonly<Record<string, number>>): void {
  for (const [field, max] of Object.entries(limits)) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    const length = Buffer.byteLength(value, 'utf8');
    if (length > max) {
      throw ApiError.invalidRequestData(`${field} must be at most ${max} characters long. Received ${length} characters`);
    }
  }
}
