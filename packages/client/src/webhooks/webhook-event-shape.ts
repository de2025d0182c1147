import { PaymntSignatureVerificationError } from '../errors/signature-verification.error';
import { isDisputeEventType, isMandateEventType, isPaymentEventType, isRefundEventType, type WebhookEvent } from '../models/webhook-event';
import { isPlainObject } from '../validation/validators';
import { parseIsoTime } from './parse-iso-time';

/** Why a verified body was refused: the one wording the client, the Nest module and the testing kit share. */
export const WebhookEventMessages = {
  NOT_JSON: 'The webhook body is signed but is not valid JSON.',
  NOT_AN_EVENT:
    'The webhook body is signed but is not a Paymnt event ' +
    '(expected event_id, event_type, timestamp and content { type, object } matching the event type).',
  BAD_TIMESTAMP: 'The webhook body is signed but its timestamp is not an ISO-8601 date.',
} as const;

/**
 * Whether a parsed body has the shape of a Paymnt webhook event: `event_id`, `event_type`,
 * `timestamp` and `content { type, object }`, with a payment (`payment_id`, `status`) for payment
 * event types, a refund (`refund_id`, `status`) for refund event types, a mandate (`mandate_id`,
 * `status`) for mandate event types and a dispute (`dispute_id`, `dispute_status`) for dispute event
 * types. Payouts and types added to the API later pass with the common fields only.
 */
export function isWebhookEvent(value: unknown): value is WebhookEvent {
  if (!isPlainObject(value)) return false;
  const { event_id, event_type, timestamp, content } = value;
  if (typeof event_id !== 'string' || event_id === '' || typeof event_type !== 'string' || event_type === '' || typeof timestamp !== 'string') return false;
  if (!isPlainObject(content) || typeof content.type !== 'string' || !isPlainObject(content.object)) return false;
  const object = content.object;
  if (isPaymentEventType(event_type)) {
    return content.type === 'payment_details' && typeof object.payment_id === 'string' && typeof object.status === 'string';
  }
  if (isRefundEventType(event_type)) {
    return content.type === 'refund_details' && typeof object.refund_id === 'string' && typeof object.status === 'string';
  }
  if (isMandateEventType(event_type)) {
    return content.type === 'mandate_details' && typeof object.mandate_id === 'string' && typeof object.status === 'string';
  }
  if (isDisputeEventType(event_type)) {
    return content.type === 'dispute_details' && typeof object.dispute_id === 'string' && typeof object.dispute_status === 'string';
  }
  return true;
}

/**
 * Refuses replays: an event whose `timestamp` is more than `toleranceSeconds` old
 * (`timestamp_outside_tolerance`), or has no valid timestamp (`malformed_payload`). A redelivery
 * keeps its original timestamp, hence a tolerance of days. `0` disables the check.
 */
export function checkWebhookTimestamp(event: Pick<WebhookEvent, 'timestamp'>, toleranceSeconds: number, now = Date.now()): void {
  if (toleranceSeconds === 0) return;
  const sentAt = parseIsoTime(event.timestamp);
  if (Number.isNaN(sentAt)) throw new PaymntSignatureVerificationError('malformed_payload', WebhookEventMessages.BAD_TIMESTAMP);
  const ageSeconds = (now - sentAt) / 1000;
  if (ageSeconds > toleranceSeconds) {
    throw new PaymntSignatureVerificationError(
      'timestamp_outside_tolerance',
      `The webhook event is ${Math.floor(ageSeconds)} s old, beyond the ${toleranceSeconds} s tolerance (webhook.toleranceSeconds): a replay?`,
    );
  }
}
