import { createHmac, timingSafeEqual } from 'node:crypto';
import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';

/** The header carrying a webhook's signature (Node lower-cases incoming header names). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature-512';

/** A hex HMAC-SHA512: 128 characters, 64 bytes. */
const SIGNATURE_HEX_LENGTH = 128;
const SIGNATURE_BYTES = 64;

/**
 * Signs a webhook body exactly as the Paymnt API does: lowercase hex HMAC-SHA512 of the raw body
 * bytes, keyed by the UTF-8 bytes of the profile's `payment_response_hash_key`. Used by the sandbox
 * and by tests that need to send a webhook the receiver accepts.
 */
export function signWebhookPayload(payload: string | Buffer, secret: string): string {
  return createHmac('sha512', secret).update(payload).digest('hex');
}

/**
 * The signature's 64 bytes, or `undefined` when the header is not 128 hex characters (either case,
 * surrounding whitespace allowed). No regular expression and no case folding on the common path:
 * hex decoding stops at the first non-hex character, so 64 bytes out of 128 characters prove that
 * every character was hex.
 */
function decodeSignature(header: string): Buffer | undefined {
  let hex = header;
  if (hex.length !== SIGNATURE_HEX_LENGTH) {
    hex = hex.trim();
    if (hex.length !== SIGNATURE_HEX_LENGTH) return undefined;
  }
  const bytes = Buffer.from(hex, 'hex');
  return bytes.length === SIGNATURE_BYTES ? bytes : undefined;
}

function matches(rawBody: Buffer | string, secret: string, received: Buffer): boolean {
  return timingSafeEqual(createHmac('sha512', secret).update(rawBody).digest(), received);
}

/**
 * Checks `signature` against the raw body for each secret (several during a rotation), in
 * constant time. Throws `PaymntSignatureVerificationError` saying what was wrong.
 *
 * `secrets` is used as given, without copying it: validate and normalise it once (a string, or an
 * array of non-empty strings), not per call. Entries that are not non-empty strings are skipped;
 * without any left, the reason is `no_secret`.
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
  const header: unknown = Array.isArray(signature) ? signature[0] : signature;
  if (header === undefined || header === '') {
    throw new PaymntSignatureVerificationError('missing_header', `No ${WEBHOOK_SIGNATURE_HEADER} header on the webhook request.`);
  }
  const received = typeof header === 'string' ? decodeSignature(header) : undefined;
  if (received === undefined) {
    throw new PaymntSignatureVerificationError(
      'malformed_header',
      `The ${WEBHOOK_SIGNATURE_HEADER} header is not a 128-character hex HMAC-SHA512.`,
    );
  }
  let tried = 0;
  let matched = false;
  if (typeof secrets === 'string') {
    if (secrets.length > 0) {
      tried = 1;
      matched = matches(rawBody, secrets, received);
    }
  } else if (secrets !== null && typeof secrets === 'object') {
    // Every secret is tried (no early exit) so timing does not tell which one matched.
    for (let i = 0; i < secrets.length; i++) {
      const secret: unknown = secrets[i];
      if (typeof secret !== 'string' || secret.length === 0) continue;
      tried++;
      if (matches(rawBody, secret, received)) matched = true;
    }
  }
  if (tried === 0) {
    throw new PaymntSignatureVerificationError('no_secret', 'No webhook secret is configured to verify the signature with.');
  }
  if (!matched) {
    throw new PaymntSignatureVerificationError(
      'no_match',
      'The webhook signature does not match the body for any configured secret ' +
        '(wrong secret, or the body was changed or re-serialized before verification).',
    );
  }
}
