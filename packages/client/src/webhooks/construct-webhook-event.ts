import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';
import { PaymntValidationError } from '../errors/validation.error';
import type { WebhookEvent } from '../models/webhook-event';
import { checkWebhookTimestamp, isWebhookEvent, WebhookEventMessages } from './webhook-event-shape';
import { verifyWebhookSignature } from './webhook-signature';

/**
 * Default replay window on the signed body's `timestamp`: 72 hours, longer than the ~24 h over
 * which the API retries a delivery (a retry resends the original timestamp).
 */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 72 * 60 * 60;

/** Options of `constructWebhookEvent` / `client.webhooks.constructEvent`. */
export interface ConstructWebhookEventOptions {
  /**
   * Rejects events whose body `timestamp` is older than this many seconds; `0` disables the check.
   * @default 259200 (72 h)
   */
  toleranceSeconds?: number;
}

/**
 * Verifies a webhook and returns its typed event: checks `x-webhook-signature-512` against the
 * EXACT raw body for each secret (constant time; several secrets during a rotation), parses it,
 * checks it is an event (`isWebhookEvent`) and that its `timestamp` is within the tolerance
 * (`checkWebhookTimestamp`). Every failure is a `PaymntSignatureVerificationError` whose `reason` says
 * what was wrong (answer it with 400, never 500, or the API retries it for a day).
 */
export function constructWebhookEvent(
  rawBody: Buffer | string,
  signature: string | string[] | undefined,
  secrets: string | readonly string[] | undefined,
  options: ConstructWebhookEventOptions = {},
): WebhookEvent {
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new PaymntValidationError('toleranceSeconds', 'must be a number of seconds >= 0 (0 disables the check)');
  }
  verifyWebhookSignature(rawBody, signature, secrets ?? []);

  let event: unknown;
  try {
    event = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    throw new PaymntSignatureVerificationError('malformed_payload', WebhookEventMessages.NOT_JSON);
  }
  if (!isWebhookEvent(event)) throw new PaymntSignatureVerificationError('malformed_payload', WebhookEventMessages.NOT_AN_EVENT);
  checkWebhookTimestamp(event, toleranceSeconds);
  return event;
}
