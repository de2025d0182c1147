import { randomBytes } from 'node:crypto';
import {
  type Dispute,
  type DisputeEventType,
  type DisputeWebhookEvent,
  isPaymentEventType,
  isRefundEventType,
  type MandateEventType,
  type MandateWebhookEvent,
  type Mandate,
  type OtherWebhookEvent,
  type Payment,
  type PaymentEventType,
  type PaymentWebhookEvent,
  type Refund,
  type RefundEventType,
  type RefundWebhookEvent,
  type WebhookEvent,
} from '@paymnt/client';

/** Fields of the envelope to override (e.g. a fixed `event_id` or an old `timestamp`). */
export interface BuildWebhookEventOverrides {
  event_id?: string;
  timestamp?: string;
  merchant_id?: string;
}

/** A new `event_id` in the API's format: `evt_` + 32 hex. */
export function newEventId(): string {
  return `evt_${randomBytes(16).toString('hex')}`;
}

/**
 * Builds a webhook event the way the API shapes it (section 6, fields in the API's order) around
 * a payment, refund or dispute, e.g. one returned by the sandbox. Sign and send it with `sendSignedWebhook`.
 */
export function buildWebhookEvent<T extends PaymentEventType>(type: T, payment: Payment, overrides?: BuildWebhookEventOverrides): PaymentWebhookEvent<T>;
export function buildWebhookEvent<T extends RefundEventType>(type: T, refund: Refund, overrides?: BuildWebhookEventOverrides): RefundWebhookEvent<T>;
export function buildWebhookEvent<T extends MandateEventType>(type: T, mandate: Mandate, overrides?: BuildWebhookEventOverrides): MandateWebhookEvent<T>;
export function buildWebhookEvent<T extends DisputeEventType>(type: T, dispute: Dispute, overrides?: BuildWebhookEventOverrides): DisputeWebhookEvent<T>;
export function buildWebhookEvent(type: OtherWebhookEvent['event_type'], object: Record<string, unknown>, overrides?: BuildWebhookEventOverrides): OtherWebhookEvent;
export function buildWebhookEvent(type: string, object: object, overrides: BuildWebhookEventOverrides = {}): WebhookEvent {
  const contentType = isPaymentEventType(type) ? 'payment_details' : isRefundEventType(type) ? 'refund_details' : `${type.split('_')[0]}_details`;
  const merchantId = overrides.merchant_id ?? (typeof (object as { merchant_id?: unknown }).merchant_id === 'string' ? (object as { merchant_id: string }).merchant_id : 'merchant_test');
  const event = {
    merchant_id: merchantId,
    event_id: overrides.event_id ?? newEventId(),
    event_type: type,
    content: { type: contentType, object },
    timestamp: overrides.timestamp ?? new Date().toISOString(),
    processor_merchant_id: merchantId,
  };
  return event as WebhookEvent;
}

