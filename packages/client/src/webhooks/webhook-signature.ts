import { createHmac, timingSafeEqual } from 'node:crypto';
import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';

/** The header carrying a webhook's signature (Node lower-cases incoming header names). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature-512';

const HEX_SHA512 = /^[0-9a-f]{128}$/;

/**
 * Signs a webhook body exactly as the Paymnt API does: lowercase hex HMAC-SHA512 of the raw body
 * bytes, keyed by the UTF-8 bytes of the profile's `payment_response_hash_key`. Used by the sandbox
 * and by tests that need to send a webhook the receiver accepts.
 */
export function signWebhookPayload(payload: string | Buffer, secret: string): string {
  return createHmac('sha512', secret).update(payload).digest('hex');
}

/**
 * Checks `signature` against the raw body for each secret (several during a rotation), in
 * constant time. Throws `PaymntSignatureVerificationError` saying what was wrong.
 */
export function verifyWebhookSignature(
  rawBody: Buffer | string,
  signature: string | string[] | undefined,
  secrets: string | readonly string[],
): void {
  if (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) {
    throw new PaymntSignatureVerificationError(
      'parsed_body',
      'Webhook body must be the raw request body (Buffer or string), not a parsed object: ' +
        'a signature can only be checked on the exact bytes that were sent. In Nest, create the app with { rawBody: true }.',
    );
  }
  const header = Array.isArray(signature) ? signature[0] : signature;
  if (header === undefined || header === '') {
    throw new PaymntSignatureVerificationError('missing_header', `No ${WEBHOOK_SIGNATURE_HEADER} header on the webhook request.`);
  }
  const received = header.trim().toLowerCase();
  if (!HEX_SHA512.test(received)) {
    throw new PaymntSignatureVerificationError(
      'malformed_header',
      `The ${WEBHOOK_SIGNATURE_HEADER} header is not a 128-character hex HMAC-SHA512.`,
    );
  }
  const list = (typeof secrets === 'string' ? [secrets] : secrets).filter((s) => typeof s === 'string' && s.length > 0);
  if (list.length === 0) {
    throw new PaymntSignatureVerificationError('no_secret', 'No webhook secret is configured to verify the signature with.');
  }
  const receivedBytes = Buffer.from(received, 'hex');
  let matched = false;
  // Every secret is tried (no early exit) so timing does not tell which one matched.
  for (const secret of list) {
    const expected = createHmac('sha512', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, receivedBytes)) matched = true;
  }
  if (!matched) {
    throw new PaymntSignatureVerificationError(
      'no_match',
      'The webhook signature does not match the body for any configured secret ' +
        '(wrong secret, or the body was changed or re-serialized before verification).',
    );
  }
}
